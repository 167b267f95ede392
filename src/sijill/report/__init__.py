"""The investigation report (``sijill report``). Data flows one way, one job per module:
:mod:`digest` (the case's digest and the moment it describes) and :mod:`figures` (every figure,
name and citation, as plain data, the naming rules and access applied) → :mod:`charts` (SVG
bar charts and the map) and :mod:`html` (the self-contained page) → :mod:`pdf` (WeasyPrint);
:mod:`build` writes the files."""
