"""The pipeline's DAGs: they wire the stages' step functions together and hold no logic of their own."""
