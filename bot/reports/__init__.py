"""The teacher's reports on a class: the /export files, the /report chart and the /stats text.

- collect: ClassData from the repository (one class, or every class for `quizbot export`);
- rows, analysis_rows, peer_rounds: the cells of each table, in plain Python values;
- csv_files: CSV bytes (BOM, quoting, the formula-injection guard);
- xlsx, worksheet, reliability_sheet, workbook_layout: the workbook and its sheets;
- charts: the /report PNG; stats_text: the /stats and /report lines;
- files: the files of one export, sent by the bot or written to disk.
"""
