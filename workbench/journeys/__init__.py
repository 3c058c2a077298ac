"""The journey model: how events split into journeys, its build, segments and graph."""
