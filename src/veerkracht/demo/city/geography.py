"""Districts and neighbourhoods: codes, names, affluence, sizes and outlines on a metre grid."""

import math
import random
from dataclasses import dataclass

from veerkracht.demo.city import config as cal
from veerkracht.demo.city.names import COMPASS, STREET_THEMES, district_names
from veerkracht.demo.city.specs import DistrictSpec, NeighbourhoodSpec, Rect

MAX_DISTRICTS = 99  # CBS district codes have two digits


@dataclass(frozen=True, slots=True)
class Geography:
    districts: list[DistrictSpec]
    neighbourhoods: list[NeighbourhoodSpec]
    populations: list[int]  # residents per neighbourhood, summing to the city's total
    themes: list[int]  # the street theme of each neighbourhood (index into STREET_THEMES)


def plan_geography(rng: random.Random, config: cal.CityConfig) -> Geography:
    """Lay out the districts and neighbourhoods and decide how many people live in each."""
    count = max(min(4, config.residents), round(config.residents / config.residents_per_neighbourhood))
    district_count = min(MAX_DISTRICTS, max(min(2, count), math.ceil(count / cal.NEIGHBOURHOODS_PER_DISTRICT)))
    sizes = _split_evenly(count, district_count)
    populations = _allocate(rng, config.residents, count)
    affluences = _affluences(rng, config.affluence_shares, sizes)
    side = _cell_side(config.residents / count)
    names = district_names(rng, district_count)
    districts = [
        DistrictSpec(code=f"WK{config.municipality_code}{number:02d}", name=name)
        for number, name in enumerate(names, start=1)
    ]
    theme_order = list(range(len(STREET_THEMES)))
    rng.shuffle(theme_order)
    postcode_start = 1000 + 100 * rng.randrange(0, max(1, (8999 - count) // 100))
    block_cols = math.ceil(math.sqrt(max(sizes)))
    block_rows = math.ceil(max(sizes) / block_cols)
    city_cols = math.ceil(math.sqrt(district_count))

    neighbourhoods: list[NeighbourhoodSpec] = []
    themes: list[int] = []
    used_names: set[str] = set()
    for district_index, size in enumerate(sizes):
        district_x = cal.GRID_ORIGIN[0] + (district_index % city_cols) * block_cols * side
        district_y = cal.GRID_ORIGIN[1] + (district_index // city_cols) * block_rows * side
        for local in range(size):
            index = len(neighbourhoods)
            theme = theme_order[index % len(theme_order)]
            x0 = district_x + (local % block_cols) * side
            y0 = district_y + (local // block_cols) * side
            name = _neighbourhood_name(theme, names[district_index], local, used_names)
            neighbourhoods.append(
                NeighbourhoodSpec(
                    district_index=district_index,
                    code=f"BU{config.municipality_code}{district_index + 1:02d}{local + 1:02d}",
                    name=name,
                    affluence=affluences[index],
                    rect=Rect(x0, y0, x0 + side, y0 + side),
                    postcode_digits=postcode_start + index,
                )
            )
            themes.append(theme)
    return Geography(districts, neighbourhoods, populations, themes)


def _split_evenly(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if part < extra else 0) for part in range(parts)]


def _allocate(rng: random.Random, total: int, parts: int) -> list[int]:
    """Split ``total`` into ``parts`` uneven sizes (0.6-1.4 of the mean) that add up exactly."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    scale = total / sum(weights)
    sizes = [max(1, int(weight * scale)) if total >= parts else 0 for weight in weights]
    # Hand out (or take back) the rounding difference one by one, largest weight first.
    order = sorted(range(parts), key=lambda part: -weights[part])
    step = 0
    while sum(sizes) != total:
        part = order[step % parts]
        if sum(sizes) < total:
            sizes[part] += 1
        elif sizes[part] > 1:
            sizes[part] -= 1
        step += 1
    return sizes


def _affluences(rng: random.Random, shares: dict[str, float], district_sizes: list[int]) -> list[str]:
    """Affluence clusters by district: most neighbourhoods share their district's character."""
    levels = list(shares)
    weights = [shares[level] for level in levels]
    result: list[str] = []
    for size in district_sizes:
        base = rng.choices(levels, weights)[0]
        result.extend(base if rng.random() < 0.65 else rng.choices(levels, weights)[0] for _ in range(size))
    # A demo city should show every kind of neighbourhood, so make sure each level occurs.
    if len(result) >= len(levels):
        for level in levels:
            if level not in result:
                commonest = max(levels, key=result.count)
                candidates = [index for index, value in enumerate(result) if value == commonest]
                result[rng.choice(candidates)] = level
    return result


def _cell_side(mean_population: float) -> float:
    """The side of a neighbourhood square in metres at the calibrated density."""
    side = math.sqrt(mean_population / (cal.DENSITY_PER_KM2 / 1_000_000))
    return float(round(min(max(side, 150.0), 1500.0), -1))


def _neighbourhood_name(theme: int, district: str, local: int, used: set[str]) -> str:
    """A themed name ("Vogelbuurt") the first time a theme occurs, else district and direction."""
    candidates = [STREET_THEMES[theme][0]] if local == 0 else []
    candidates += [f"{district}-{direction}" for direction in COMPASS]
    candidates.append(STREET_THEMES[theme][0])
    for candidate in candidates:
        if candidate not in used:
            used.add(candidate)
            return candidate
    name = f"{district} {local + 1}"
    used.add(name)
    return name
