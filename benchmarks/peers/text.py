"""Peers of bench_text: scikit-learn's CountVectorizer on the seed analysis' 60/20/20 split of the
real transcriptions, and pandas' str.len()."""
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import train_test_split


def cases(ctx):
    df = pd.read_csv(ctx.real_csv).dropna()
    texts = df["video_transcription_text"]
    rest, test = train_test_split(texts, test_size=0.2, random_state=0)
    train, val = train_test_split(rest, test_size=0.25, random_state=0)

    def vectorize():
        vec = CountVectorizer(ngram_range=(2, 3), max_features=15, stop_words="english")
        vec.fit_transform(train)
        vec.transform(val)
        vec.transform(test)

    def lengths():
        texts.str.len()

    return {
        "vectorizer/seed_splits": ("sklearn CountVectorizer", vectorize),
        "text_length/real": ("pandas str.len", lengths),
    }
