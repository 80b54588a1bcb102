"""Generated work summaries (工作总结): the figures of a region and period composed into the sections the source
documents have (``compose``), phrased as Chinese reports phrase figures (``phrasing``), with computed findings
(``findings``) and an editable 下步工作 text (``templates``), rendered to Markdown, Word and PDF (``render``).

Kept import-free: ``stats.models`` imports ``summary.periods`` and must not pull in the rest."""
