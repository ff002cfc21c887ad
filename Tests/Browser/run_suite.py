"""Runs the browser suite and ends with one plain line, "N passed, N failed, N skipped"."""

import sys
import unittest
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here))
suite = unittest.defaultTestLoader.discover(str(here), pattern="test_*.py")
result = unittest.TextTestRunner(verbosity=2).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
passed = result.testsRun - failed - len(result.skipped)
print(f"browser: {passed} passed, {failed} failed, {len(result.skipped)} skipped")
sys.exit(0 if failed == 0 and result.testsRun > 0 else 1)
