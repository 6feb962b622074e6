"""DocTypes used only by the benchmarks."""
