"""Settings modules: ``base`` (shared), ``local``, ``production`` and ``test``."""
