"""Figure builders: a model result in, a plotly ``go.Figure`` out. No model maths here."""
