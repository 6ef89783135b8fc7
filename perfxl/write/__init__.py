"""Write: everything perfxl puts on disk or in a mail.

``completed`` and ``review_sheet`` make the completed copy of a workbook;
``summary`` and ``summary_sheets`` the 汇总表; ``report`` and ``report_table``
the narrative report draft; ``mail`` the message; ``atomic`` makes every file
appear whole or not at all.
"""
