"""ctest install.python_package: the package imported from the install tree (PYTHONPATH) loads
the install tree's libclaimlens.so by itself, through its generated _libpath.py."""
import os

import claimlens


def test_package_comes_from_the_install_tree():
    here = os.path.realpath(os.path.dirname(claimlens.__file__))
    assert here.startswith(os.path.realpath(os.environ["PYTHONPATH"])), here
    libdir = os.path.realpath(os.environ["CLAIMLENS_EXPECT_LIBRARY_UNDER"])
    assert os.path.realpath(claimlens.library_path).startswith(libdir + os.sep), \
        claimlens.library_path
    assert "CLAIMLENS_LIBRARY" not in os.environ
