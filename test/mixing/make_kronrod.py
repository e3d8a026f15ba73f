"""Gauss-Kronrod rules (Legendre weight) on [0, 1] for src/mixing/kronrod.ts, with mpmath (60 digits).

    python3 test/mixing/make_kronrod.py 3 7 10 15 > rules.txt   # the RAW entries of kronrod.ts
"""
import sys
from mpmath import mp, mpf, legendre, diff, findroot, matrix, lu_solve, cos, pi
mp.dps = 60

def gauss(N):
    xs = []
    for k in range(1, N + 1):
        x = cos(pi * (k - mpf(1) / 4) / (N + mpf(1) / 2))
        for _ in range(100):
            p = legendre(N, x); dp = diff(lambda t: legendre(N, t), x)
            dx = p / dp; x -= dx
            if abs(dx) < mpf(10) ** (-55): break
        xs.append(x)
    xs.sort()
    ws = [2 / ((1 - x * x) * diff(lambda t: legendre(N, t), x) ** 2) for x in xs]
    return xs, ws

def kronrod(N):
    gx, gw = gauss(N)
    M = 2 * N + 2
    qx, qw = gauss(M)
    def integ(f):
        return sum(w * f(x) for x, w in zip(qx, qw))
    # E = P_{N+1} + sum_{k<=N} e_k P_k, orthogonal to P_j, j <= N, against P_N
    A = matrix(N + 1, N + 1); rhs = matrix(N + 1, 1)
    for j in range(N + 1):
        for k in range(N + 1):
            A[j, k] = integ(lambda x: legendre(N, x) * legendre(k, x) * legendre(j, x))
        rhs[j] = -integ(lambda x: legendre(N, x) * legendre(N + 1, x) * legendre(j, x))
    e = lu_solve(A, rhs)
    E = lambda x: legendre(N + 1, x) + sum(e[k] * legendre(k, x) for k in range(N + 1))
    br = [mpf(-1)] + gx + [mpf(1)]
    kx = []
    for a, b in zip(br[:-1], br[1:]):
        kx.append(findroot(E, (a, b), solver="anderson"))
    nodes = sorted(gx + kx)
    n = len(nodes)
    V = matrix(n, n); r = matrix(n, 1)
    for j in range(n):
        for k in range(n):
            V[j, k] = legendre(j, nodes[k])
        r[j] = 2 if j == 0 else 0
    w = lu_solve(V, r)
    # check: exact to degree 3N+1
    for deg in range(3 * N + 2):
        s = sum(w[k] * nodes[k] ** deg for k in range(n))
        ex = mpf(2) / (deg + 1) if deg % 2 == 0 else 0
        assert abs(s - ex) < mpf(10) ** -45, (N, deg, s - ex)
    # gauss weights in kronrod order (0 where not a gauss node)
    gmap = {mp.nstr(x, 40): wgt for x, wgt in zip(gx, gw)}
    g = [gmap.get(mp.nstr(x, 40), mpf(0)) for x in nodes]
    return nodes, [w[k] for k in range(n)], g

out = []
for N in [int(a) for a in sys.argv[1:]]:
    nodes, kw, gw = kronrod(N)
    t = [(1 + x) / 2 for x in nodes]
    out.append((N, t, [v / 2 for v in kw], [v / 2 for v in gw]))
    print(N, "ok", file=sys.stderr)
for N, t, kw, gw in out:
    print(f"  // G{N} / K{2*N+1}")
    print("  {")
    print(f"    gauss: {N},")
    print("    t: [" + ", ".join(mp.nstr(v, 20, min_fixed=-99, max_fixed=99) for v in t) + "],")
    print("    wk: [" + ", ".join(mp.nstr(v, 20, min_fixed=-99, max_fixed=99) for v in kw) + "],")
    print("    wg: [" + ", ".join(mp.nstr(v, 20, min_fixed=-99, max_fixed=99) if v != 0 else "0" for v in gw) + "],")
    print("  },")
