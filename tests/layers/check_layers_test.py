"""ctest layers.check_fails_on_back_edge: scripts/check_layers can fail (back-edges, model-type
dispatch outside the model layer).

usage: check_layers_test.py CHECK_LAYERS SOURCE_DIR

Copies the source tree's modules (cmake/modules.txt, include/, src/, capi/, examples/) to a
temporary folder, checks that the copy passes, then injects one violation at a time into a fresh
copy and expects the check to exit non-zero naming the file, the line and both modules.
"""
import os
import shutil
import subprocess
import sys
import tempfile

CHECK, SOURCE = sys.argv[1], sys.argv[2]
FOLDERS = ("include", "src", "capi", "examples")
failures = []


def fresh_copy(parent):
    root = tempfile.mkdtemp(dir=parent)
    os.makedirs(os.path.join(root, "cmake"))
    shutil.copy(os.path.join(SOURCE, "cmake", "modules.txt"), os.path.join(root, "cmake"))
    for folder in FOLDERS:
        shutil.copytree(os.path.join(SOURCE, folder), os.path.join(root, folder))
    return root


def add_line(root, rel, text):
    """Appends `text` to root/rel; returns its line number."""
    path = os.path.join(root, rel)
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    lines.append(text)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return len(lines)


def run(root):
    done = subprocess.run([sys.executable, CHECK, root], capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def expect(name, root, status, *needles):
    code, output = run(root)
    missing = [n for n in needles if n not in output]
    if code != status or missing:
        failures.append(f"{name}: exit {code} (want {status}), missing {missing}:\n{output}")
    else:
        print(f"ok: {name}")


# (case, file, injected include, expected message; {line} is the injected line's number)
INJECTED = [
    ("a source includes a module above it", "src/dataframe/csv.cpp",
     "claimlens/pipeline/analysis.hpp",
     "src/dataframe/csv.cpp:{line}: dataframe includes claimlens/pipeline/analysis.hpp of "
     "pipeline, a module above it"),
    ("a public header includes a module above it", "include/claimlens/metrics/ranking.hpp",
     "claimlens/ensemble/tree.hpp",
     "include/claimlens/metrics/ranking.hpp:{line}: metrics includes claimlens/ensemble/tree.hpp "
     "of ensemble, a module above it"),
    ("a private header of another module", "src/pipeline/synth.cpp", "../ensemble/json_util.hpp",
     "src/pipeline/synth.cpp:{line}: pipeline includes src/ensemble/json_util.hpp, a private "
     "header of ensemble"),
    ("a lower module not declared as used", "src/text/unicode.cpp",
     "claimlens/dataframe/dataframe.hpp",
     "src/text/unicode.cpp:{line}: text includes claimlens/dataframe/dataframe.hpp of dataframe, "
     "which cmake/modules.txt does not list among the modules text uses"),
]


def injected_includes(parent):
    for name, rel, header, message in INJECTED:
        root = fresh_copy(parent)
        line = add_line(root, rel, f'#include "{header}"')
        expect(name, root, 1, message.format(line=line))


def unlisted_folder(parent):
    root = fresh_copy(parent)
    os.makedirs(os.path.join(root, "src", "extra"))
    expect("a folder that is no module", root, 2, "src/extra/ is not a module of cmake/modules.txt")


def bad_order(parent):
    root = fresh_copy(parent)
    add_line(root, "cmake/modules.txt", "early: core report")
    with open(os.path.join(root, "cmake", "modules.txt"), encoding="utf-8") as f:
        text = f.read()
    # Move the new line to just after core's, so it uses a module listed after it.
    text = text.replace("early: core report\n", "").replace("core:\n", "core:\nearly: report\n")
    with open(os.path.join(root, "cmake", "modules.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    expect("modules.txt using a module listed later", root, 2,
           "early uses report, which is not listed before it")


# (case, file, injected line, expected message; {line} is the injected line's number)
DISPATCH = [
    ("a variant of model classes", "src/pipeline/synth.cpp",
     "using Any = std::variant<RandomForestClassifier, LogisticRegression>;",
     "src/pipeline/synth.cpp:{line}: model-type dispatch outside the model layer"),
    ("a test of a model's type", "examples/cli/predict.cpp",
     'const bool forest = model.model_type() == "random_forest";',
     "examples/cli/predict.cpp:{line}: model-type dispatch outside the model layer"),
    ("holds_alternative over a model class", "capi/c_api.cpp",
     "bool gb(const V& v) { return std::holds_alternative<GradientBoostingClassifier>(v); }",
     "capi/c_api.cpp:{line}: model-type dispatch outside the model layer"),
]


def injected_dispatch(parent):
    for name, rel, text, message in DISPATCH:
        root = fresh_copy(parent)
        line = add_line(root, rel, text)
        expect(name, root, 1, message.format(line=line))


with tempfile.TemporaryDirectory() as parent:
    expect("the unchanged tree", fresh_copy(parent), 0, "every include follows the module order")
    for case in (injected_includes, unlisted_folder, bad_order, injected_dispatch):
        case(parent)

for failure in failures:
    print(f"FAILED {failure}", file=sys.stderr)
sys.exit(1 if failures else 0)
