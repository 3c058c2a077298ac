"""Streamlit-only helpers for the app: caching, session state, reusable views, error display.

The library (``workbench``) never imports these; pages call the library and hand the results here.
"""
