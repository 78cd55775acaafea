"""The desktop window: the only package that imports PySide6.

Loading it first applies the binding work-arounds in ``binding_fixes``, so
that no signal is ever emitted without them.
"""

from consult_aid.ui.binding_fixes import immortalise_booleans

immortalise_booleans()
