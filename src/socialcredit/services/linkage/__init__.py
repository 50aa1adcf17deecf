"""Record linkage with a review queue: no entry or measure rests on an unreviewed match."""
