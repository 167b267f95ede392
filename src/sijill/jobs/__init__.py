"""Long work in the background with progress: one ``jobs`` table and a thread per job.

Only the estimate page uses it so far (``kind="estimate"``); see :mod:`sijill.jobs.service`.
"""
