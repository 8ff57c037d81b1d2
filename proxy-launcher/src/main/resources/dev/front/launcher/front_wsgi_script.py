"""Loads a mod_wsgi-style WSGI script file for servers that only import modules.

The front puts this module on the child's PYTHONPATH and names it as the application
(front_wsgi_script:application); FRONT_WSGI_SCRIPT is the script file and FRONT_WSGI_CALLABLE
the name of the callable in it. Like mod_wsgi, the script is not run as __main__ and its
directory is importable.
"""
import os
import runpy
import sys

_script = os.path.abspath(os.environ["FRONT_WSGI_SCRIPT"])
sys.path.insert(0, os.path.dirname(_script))
_namespace = runpy.run_path(_script, run_name="_front_wsgi_script")
application = _namespace[os.environ.get("FRONT_WSGI_CALLABLE", "application")]
