"""Where other apps plug into a resident's export and erasure (AVG articles 15 and 17).

Each app that stores data about residents registers one export section and one erasure step in
its ``AppConfig.ready``, so the people app needs no knowledge of contacts, help or activities.
"""

from collections.abc import Callable
from typing import Any

from veerkracht.people.models import Resident

ExportSection = Callable[[Resident], dict[str, Any]]
ErasureStep = Callable[[Resident], None]

export_sections: dict[str, ExportSection] = {}
erasure_steps: dict[str, ErasureStep] = {}


def register_export_section(name: str, section: ExportSection) -> None:
    """Add the app's data about a resident to the export under ``name``."""
    export_sections[name] = section


def register_erasure_step(name: str, step: ErasureStep) -> None:
    """Run ``step`` when a resident is erased: it must remove or anonymise the app's personal data."""
    erasure_steps[name] = step
