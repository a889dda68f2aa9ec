"""The forecasting half of the series: the price schema, the synthetic market, windows and
baselines, the three forecasters, boosted trees and their figures.

It imports the shared core (``helpers.*``) and never the translation half.
"""
