"""Read: from a file's bytes to :class:`~perfxl.model.ProjectForm` objects.

``sniff`` looks at the bytes before any parser does (safety bounds, format);
``workbook`` opens the file with python-calamine; ``grid`` resolves merges and
indexes labels; ``labels`` knows how labels are spelled; ``form`` maps a sheet
onto the form's blocks; ``cell_details`` answers the few number-format and
formula questions calamine cannot.
"""
