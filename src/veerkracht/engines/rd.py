"""WGS84 (degrees) to RD New (EPSG:28992, metres): the approximation formulas of Schreutelkamp and
Strang van Hees, "Benaderingsformules voor de transformatie tussen RD- en WGS84-kaartcoördinaten"
(Stichting De Hollandse Cirkel / GPS Gebruikersgroep, 2001). Within the Netherlands they agree with
the exact RDNAPTRANS transformation to about a metre, which is well within what neighbourhood
outlines, walking routes and matching distances need.
"""

_PHI0, _LAMBDA0 = 52.15517440, 5.38720621  # the Onze Lieve Vrouwetoren in Amersfoort
_X0, _Y0 = 155_000.0, 463_000.0

# (p, q, coefficient) for X = X0 + Σ R·dφ^p·dλ^q and Y = Y0 + Σ S·dφ^p·dλ^q.
_R = (
    (0, 1, 190094.945),
    (1, 1, -11832.228),
    (2, 1, -114.221),
    (0, 3, -32.391),
    (1, 0, -0.705),
    (3, 1, -2.340),
    (1, 3, -0.608),
    (0, 2, -0.008),
    (2, 3, 0.148),
)
_S = (
    (1, 0, 309056.544),
    (0, 2, 3638.893),
    (2, 0, 73.077),
    (1, 2, -157.984),
    (3, 0, 59.788),
    (0, 1, 0.433),
    (2, 2, -6.439),
    (1, 1, -0.032),
    (0, 4, 0.092),
    (1, 4, -0.054),
)


def wgs84_to_rd(longitude: float, latitude: float) -> tuple[float, float]:
    """(x, y) in RD New metres for a point given as (longitude, latitude) in degrees, GeoJSON's order."""
    d_phi = 0.36 * (latitude - _PHI0)
    d_lambda = 0.36 * (longitude - _LAMBDA0)
    x = _X0 + sum(c * d_phi**p * d_lambda**q for p, q, c in _R)
    y = _Y0 + sum(c * d_phi**p * d_lambda**q for p, q, c in _S)
    return x, y
