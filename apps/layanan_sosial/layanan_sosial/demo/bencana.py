DOCTYPES = ("Belum Ada",)


def sudah_ada(ctx):
    return True


def buat(ctx):
    return ""
