"""pandas peers of bench_dataframe: read_csv on the same files, describe() of the real file."""
import pandas as pd


def cases(ctx):
    real_frame = pd.read_csv(ctx.real_csv)
    return {
        "csv_read/real": ("pandas.read_csv", lambda: pd.read_csv(ctx.real_csv)),
        "csv_read/synth_1m": ("pandas.read_csv", lambda: pd.read_csv(ctx.synth_csv)),
        "csv_read/synth_1m_1thread": ("pandas.read_csv", lambda: pd.read_csv(ctx.synth_csv)),
        "describe/real": ("DataFrame.describe", lambda: real_frame.describe()),
    }
