"""Helpers shared by the notebooks of *Backpropagation from scratch*."""
