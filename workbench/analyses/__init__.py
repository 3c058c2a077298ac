"""Analyses over a journey model: outcomes, KPIs, friction, causes, satisfaction, personas."""
