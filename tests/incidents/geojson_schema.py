"""A compact JSON Schema of GeoJSON (RFC 7946) FeatureCollections with Point/MultiPoint/null."""

POSITION = {
    "type": "array",
    "minItems": 2,
    "maxItems": 3,
    "items": {"type": "number"},
    "prefixItems": [
        {"type": "number", "minimum": -180, "maximum": 180},
        {"type": "number", "minimum": -90, "maximum": 90},
    ],
}

GEOMETRY = {
    "oneOf": [
        {"type": "null"},
        {
            "type": "object",
            "required": ["type", "coordinates"],
            "properties": {"type": {"const": "Point"}, "coordinates": POSITION},
        },
        {
            "type": "object",
            "required": ["type", "coordinates"],
            "properties": {
                "type": {"const": "MultiPoint"},
                "coordinates": {"type": "array", "items": POSITION},
            },
        },
    ]
}

FEATURE = {
    "type": "object",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"const": "Feature"},
        "id": {"type": ["string", "number"]},
        "geometry": GEOMETRY,
        "properties": {"type": ["object", "null"]},
    },
}

FEATURE_COLLECTION = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": FEATURE},
    },
}
