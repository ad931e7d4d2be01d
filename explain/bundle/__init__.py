"""What a user brings: the model folder (model, reference data, card), loaded and checked, and its trust rules."""

from explain.bundle.bundle import Bundle
from explain.bundle.load import DATA_FILES, MODEL_FILES, list_bundles, load_bundle, models_dirs, read_data
from explain.bundle.output import Output
from explain.bundle.trust import SKOPS_TYPES, version_notes

__all__ = [
    "DATA_FILES",
    "MODEL_FILES",
    "SKOPS_TYPES",
    "Bundle",
    "Output",
    "list_bundles",
    "load_bundle",
    "models_dirs",
    "read_data",
    "version_notes",
]
