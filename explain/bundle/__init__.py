"""What a user brings: the model folder (model, reference data, card), loaded and checked, and its trust rules."""

from explain.bundle.load import (
    DATA_FILES,
    MODEL_FILES,
    SKOPS_TYPES,
    Bundle,
    list_bundles,
    load_bundle,
    models_dirs,
    read_data,
    version_notes,
)

__all__ = [
    "DATA_FILES",
    "MODEL_FILES",
    "SKOPS_TYPES",
    "Bundle",
    "list_bundles",
    "load_bundle",
    "models_dirs",
    "read_data",
    "version_notes",
]
