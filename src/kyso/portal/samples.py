"""Sample filled-in forms as XML (demo data, tests, bench): what an employer's software produces."""

from __future__ import annotations

from .seed import form_namespace


def d02(tax_code: str = "0101234567", name: str = "Công ty TNHH Ánh Dương", workers: int = 1) -> bytes:
    ns = form_namespace("D02-TS")
    rows = "".join(
        f"<LaoDong><HoTen>Nguyễn Thị Hằng {i}</HoTen><MaSoBHXH>01234567{i % 10}{i // 10 % 10}</MaSoBHXH>"
        f"<PhuongAn>TM</PhuongAn><MucLuong>8500000</MucLuong><TuThang>2026-11</TuThang></LaoDong>"
        for i in range(workers))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<D02TS xmlns="{ns}"><DonVi><MaSoThue>{tax_code}</MaSoThue>'
            f"<TenDonVi>{name}</TenDonVi></DonVi><KyBaoCao>2026-11</KyBaoCao>{rows}</D02TS>").encode()


def tk1(name: str = "Nguyễn Thị Hằng") -> bytes:
    ns = form_namespace("TK1-TS")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<TK1TS xmlns="{ns}"><HoTen>{name}</HoTen><NgaySinh>1990-05-17</NgaySinh>'
            f"<GioiTinh>Nữ</GioiTinh><SoCCCD>001190012345</SoCCCD><DiaChi>Ba Đình, Hà Nội</DiaChi></TK1TS>").encode()


def d03(children: int = 1) -> bytes:
    ns = form_namespace("D03-TS")
    rows = "".join(f"<TreEm><HoTen>Trần Bảo An {i}</HoTen><NgaySinh>2025-03-0{i % 9 + 1}</NgaySinh><GioiTinh>Nam</GioiTinh>"
                   f"<HoTenMe>Lê Thị Mai</HoTenMe><DiaChi>Phường Kim Mã, Ba Đình</DiaChi></TreEm>" for i in range(children))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<D03TS xmlns="{ns}"><UBND>UBND phường Kim Mã</UBND>{rows}</D03TS>').encode()
