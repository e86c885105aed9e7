"""The label every part's tables keep: ``communities``.

The models live in the parts (``communities/<part>/models.py``), each declaring
``app_label = "communities"``: their tables, content types, permissions, history and admin
addresses stayed where they were when the domain was one app. Django still asks this app for a
models module before it creates content types and permissions for the label; this is it.
"""
