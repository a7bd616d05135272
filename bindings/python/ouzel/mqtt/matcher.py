"""A trie of topic filters (``paho.mqtt.matcher.MQTTMatcher``)."""


class MQTTMatcher:
    """Maps topic filters to values and finds the values whose filter matches a topic.

    ``m["a/+"] = x``; ``list(m.iter_match("a/b"))`` gives ``[x]``. ``+`` matches one level,
    ``#`` the rest (including the parent level: ``a/#`` matches ``a``); wildcards at the first
    level do not match topics that start with ``$``.
    """

    class Node:
        __slots__ = "_children", "_content"

        def __init__(self):
            self._children = {}
            self._content = None

    def __init__(self):
        self._root = self.Node()

    def __setitem__(self, key, value):
        node = self._root
        for level in key.split("/"):
            node = node._children.setdefault(level, self.Node())
        node._content = value

    def __getitem__(self, key):
        try:
            node = self._root
            for level in key.split("/"):
                node = node._children[level]
            if node._content is None:
                raise KeyError(key)
            return node._content
        except KeyError as e:
            raise KeyError(key) from e

    def __delitem__(self, key):
        path = []
        try:
            parent, node = None, self._root
            for level in key.split("/"):
                parent, node = node, node._children[level]
                path.append((parent, level, node))
            node._content = None
        except KeyError as e:
            raise KeyError(key) from e
        # Prune the nodes left with neither content nor children, from the leaf up.
        for parent, level, node in reversed(path):
            if node._children or node._content is not None:
                break
            del parent._children[level]

    def iter_match(self, topic):
        levels = topic.split("/")
        skip_wildcards = topic.startswith("$")
        n = len(levels)

        def walk(node, i):
            if i == n:
                if node._content is not None:
                    yield node._content
            else:
                child = node._children.get(levels[i])
                if child is not None:
                    yield from walk(child, i + 1)
                if not (skip_wildcards and i == 0):
                    child = node._children.get("+")
                    if child is not None:
                        yield from walk(child, i + 1)
            if not (skip_wildcards and i == 0):
                child = node._children.get("#")
                if child is not None and child._content is not None:
                    yield child._content

        return walk(self._root, 0)
