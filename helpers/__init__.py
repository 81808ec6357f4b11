"""Helpers shared by the notebooks of *Backpropagation from scratch*."""

__all__: list[str] = []  # the package itself defines nothing: import from its modules (helpers.layers, ...)
