"""Organisation types."""

ORG_TYPES = {
    "NRI": "National research institution",
    "LRG": "Local or regional government",
    "NGM": "National government ministry",
    "IO": "International organisation",
    "CSO": "Civil society",
    "ACADEMIA": "Academia",
    "OTHER": "Other",
}
