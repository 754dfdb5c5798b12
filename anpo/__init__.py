"""anpo: a local-first assistant for Japanese export control (安全保障貿易管理).

The core package: settings, errors, the answer model, answering backends, the
service facade used by the CLI and the Streamlit app.  Importing it is cheap:
models and indexes load on first use.
"""

__version__ = "0.1.0"
