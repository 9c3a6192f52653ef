"""Imported first by every entry point: llama.cpp's library will load before numpy.

Importing this module installs the guard of `native_order` (a few microseconds; the
library itself loads only when something asks for numpy). The side effect is the
point of the module: entry points import it before anything that may import numpy.
"""

from medassist_desktop.core.inference.native_order import guard_numpy_import

STATE = guard_numpy_import()
