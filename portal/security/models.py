# No models: this module exists so that Django sends this app ``post_migrate``
# (it skips apps without one), when the editor groups are (re)created.
