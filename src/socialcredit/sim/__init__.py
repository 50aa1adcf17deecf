"""The policy simulator: a synthetic nation lived day by day through the real engine.

``run_simulation`` (in ``socialcredit.sim.run``) draws conduct and responses at the rates of
``data/rates.yaml``, asks the engine (``Engine.state`` and ``decision_from``) what follows, and
records list sizes, flows, measures and blocked purchases; ``socialcredit.sim.calibrate`` fits a
few rates on published national figures and reports the error on the others.
"""
