;; A dense network's Fisher-vector product F v = (1/N) Σ_n J_nᵀ Λ_n J_n v at one held forward
;; pass, one example at a time (docs/performance.md, 2026-12-07, evening: "Fisher-vector products").
;; fisher-product.ts prepares the memory and calls `fvp`; scripts/build-kernel.ts compiles this
;; file into fisher-product-wasm.ts (a test checks that the two agree).
;;
;; For each example n (ā_k = [a_k, 1] the input of layer k, D_k = act'(z_k), V̄_k = [dW_k; db_k]
;; the direction's block of layer k, W_k the weights at the point):
;;   tangent   ż_0 = x̄_n V̄_0 (over x̄_n's nonzero entries only: digit images are half blank)
;;             ż_k = ā_k V̄_k + (D_{k−1} ⊙ ż_{k−1}) W_k
;;   weigh     w = Λ_n ż_{L−1}: softmax p ⊙ u − p (pᵀu); or s_n u (a per-example scale)
;;   backward  δ_{L−1} = w,  G_k += ā_kᵀ δ_k,  δ_{k−1} = D_{k−1} ⊙ (W_k δ_k)
;; G is summed in float32 over 16 examples, then added into float64 totals.
;;
;; Every row is padded with zeros to whole blocks of 16 floats (four v128, the accumulators of
;; the inner loops, which stay in registers across a sum; a layer's inP is the previous
;; layer's outP). Layout: byte offsets into the memory; `desc` points at i32 words:
;;   0 rowStart: i32 [N + 1], example n's entries of x̄ are rowStart[n] … rowStart[n + 1] − 1
;;   1 idx: i32 [nnz], each entry's byte offset of its row in V̄_0 (and in G_0)
;;   2 val: f32 [nnz], each entry's value (the bias entry: 1)
;;   3 loss: 0 softmax (p: f32 [N][outP]), 1 a per-example scale (s: f32 [N])
;;   4 the loss's array     5, 6 two scratch rows as wide as the widest layer
;;   7 g32: f32, every layer's G in turn    8 g64: f64, the same entries    9 g32's size in v128
;;   16 + 8k, for layer k = 0 … L − 1 (L ≤ 8): in, outP/16, inP/16, a_k (f32 [N][inP], k ≥ 1),
;;     D_k (f32 [N][outP], k < L − 1), W_k (f32 [in][outP], k ≥ 1), W_kᵀ (f32 [out][inP],
;;     k ≥ 1), out
;;   80 + k: V̄_k (f32 [in + 1][outP])     88 + k: G_k (its place in g32)
(module
  (memory (export "memory") 1)

  ;; g64 += g32 and g32 = 0, over `count` v128 of g32.
  (func $flush (param $g32 i32) (param $g64 i32) (param $count i32)
    (local $v v128)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $count)))
      (local.set $v (v128.load (local.get $g32)))
      (v128.store (local.get $g64)
        (f64x2.add (v128.load (local.get $g64)) (f64x2.promote_low_f32x4 (local.get $v))))
      (v128.store offset=16 (local.get $g64)
        (f64x2.add (v128.load offset=16 (local.get $g64))
          (f64x2.promote_low_f32x4
            (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
      (v128.store (local.get $g32) (v128.const i32x4 0 0 0 0))
      (local.set $g32 (i32.add (local.get $g32) (i32.const 16)))
      (local.set $g64 (i32.add (local.get $g64) (i32.const 32)))
      (local.set $count (i32.sub (local.get $count) (i32.const 1)))
      (br $l))))

  ;; dst = a ⊙ b over `bytes` (a multiple of 16).
  (func $mul (param $dst i32) (param $a i32) (param $b i32) (param $bytes i32)
    (local $q i32)
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $q) (local.get $bytes)))
      (v128.store (i32.add (local.get $dst) (local.get $q))
        (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $q))) (v128.load (i32.add (local.get $b) (local.get $q)))))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br $l))))

  (func (export "fvp") (param $N i32) (param $L i32) (param $desc i32)
    (local $n i32) (local $k i32) (local $e i32) (local $eStart i32) (local $eEnd i32) (local $q i32) (local $i i32)
    (local $bytes i32) (local $lw i32) (local $in i32) (local $out i32) (local $inBytes i32)
    (local $cur i32) (local $prev i32) (local $swap i32) (local $co i32)
    (local $V i32) (local $W i32) (local $G i32) (local $r i32) (local $r2 i32) (local $aRow i32) (local $dRow i32)
    (local $x v128) (local $ad v128) (local $s v128) (local $p v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $rowStart i32) (local $idx i32) (local $val i32)
    (local.set $rowStart (i32.load (local.get $desc)))
    (local.set $idx (i32.load offset=4 (local.get $desc)))
    (local.set $val (i32.load offset=8 (local.get $desc)))
    (block $ndone (loop $nloop
      (br_if $ndone (i32.ge_u (local.get $n) (local.get $N)))
      (local.set $cur (i32.load offset=20 (local.get $desc)))
      (local.set $prev (i32.load offset=24 (local.get $desc)))
      (local.set $eStart (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $n) (i32.const 2)))))
      (local.set $eEnd (i32.load offset=4 (i32.add (local.get $rowStart) (i32.shl (local.get $n) (i32.const 2)))))

      ;; ---- tangent, layer 0: cur = Σ over x̄_n's entries of x · V̄_0[row], 16 columns at a time
      (local.set $lw (i32.add (local.get $desc) (i32.const 64)))
      (local.set $bytes (i32.shl (i32.load offset=4 (local.get $lw)) (i32.const 6)))
      (local.set $V (i32.load offset=320 (local.get $desc)))
      (local.set $co (i32.const 0))
      (block $cd (loop $cl
        (br_if $cd (i32.ge_u (local.get $co) (local.get $bytes)))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $e (local.get $eStart))
        (block $d (loop $l
          (br_if $d (i32.ge_u (local.get $e) (local.get $eEnd)))
          (local.set $x (v128.load32_splat (i32.add (local.get $val) (i32.shl (local.get $e) (i32.const 2)))))
          (local.set $r (i32.add (i32.add (local.get $V) (local.get $co))
            (i32.load (i32.add (local.get $idx) (i32.shl (local.get $e) (i32.const 2))))))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load (local.get $r)))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $r)))))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $x) (v128.load offset=32 (local.get $r)))))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $x) (v128.load offset=48 (local.get $r)))))
          (local.set $e (i32.add (local.get $e) (i32.const 1)))
          (br $l)))
        (local.set $r (i32.add (local.get $cur) (local.get $co)))
        (v128.store (local.get $r) (local.get $a0)) (v128.store offset=16 (local.get $r) (local.get $a1))
        (v128.store offset=32 (local.get $r) (local.get $a2)) (v128.store offset=48 (local.get $r) (local.get $a3))
        (local.set $co (i32.add (local.get $co) (i32.const 64)))
        (br $cl)))

      ;; ---- tangent, layers 1 … L − 1: prev = D_{k−1} ⊙ cur (the input's tangent), then
      ;; cur = V̄_k[bias] + Σ_i a_i V̄_k[i] + prev_i W_k[i]
      (local.set $k (i32.const 1))
      (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $L)))
        (call $mul (local.get $prev) (local.get $cur)
          (i32.add (i32.load offset=16 (local.get $lw)) (i32.mul (local.get $n) (local.get $bytes)))
          (local.get $bytes))
        (local.set $lw (i32.add (local.get $desc) (i32.add (i32.const 64) (i32.shl (local.get $k) (i32.const 5)))))
        (local.set $in (i32.load (local.get $lw)))
        (local.set $bytes (i32.shl (i32.load offset=4 (local.get $lw)) (i32.const 6)))
        (local.set $inBytes (i32.shl (i32.load offset=8 (local.get $lw)) (i32.const 6)))
        (local.set $V (i32.load (i32.add (local.get $desc) (i32.add (i32.const 320) (i32.shl (local.get $k) (i32.const 2))))))
        (local.set $W (i32.load offset=20 (local.get $lw)))
        (local.set $aRow (i32.add (i32.load offset=12 (local.get $lw)) (i32.mul (local.get $n) (local.get $inBytes))))
        (local.set $co (i32.const 0))
        (block $cd (loop $cl
          (br_if $cd (i32.ge_u (local.get $co) (local.get $bytes)))
          (local.set $r (i32.add (i32.add (local.get $V) (i32.mul (local.get $in) (local.get $bytes))) (local.get $co)))
          (local.set $a0 (v128.load (local.get $r))) (local.set $a1 (v128.load offset=16 (local.get $r)))
          (local.set $a2 (v128.load offset=32 (local.get $r))) (local.set $a3 (v128.load offset=48 (local.get $r)))
          (local.set $r (i32.add (local.get $V) (local.get $co)))
          (local.set $r2 (i32.add (local.get $W) (local.get $co)))
          (local.set $i (i32.const 0))
          (block $d (loop $l
            (br_if $d (i32.ge_u (local.get $i) (local.get $in)))
            (local.set $x (v128.load32_splat (i32.add (local.get $aRow) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $ad (v128.load32_splat (i32.add (local.get $prev) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.add
              (f32x4.mul (local.get $x) (v128.load (local.get $r))) (f32x4.mul (local.get $ad) (v128.load (local.get $r2))))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.add
              (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $r))) (f32x4.mul (local.get $ad) (v128.load offset=16 (local.get $r2))))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.add
              (f32x4.mul (local.get $x) (v128.load offset=32 (local.get $r))) (f32x4.mul (local.get $ad) (v128.load offset=32 (local.get $r2))))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.add
              (f32x4.mul (local.get $x) (v128.load offset=48 (local.get $r))) (f32x4.mul (local.get $ad) (v128.load offset=48 (local.get $r2))))))
            (local.set $r (i32.add (local.get $r) (local.get $bytes)))
            (local.set $r2 (i32.add (local.get $r2) (local.get $bytes)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
          (local.set $r (i32.add (local.get $cur) (local.get $co)))
          (v128.store (local.get $r) (local.get $a0)) (v128.store offset=16 (local.get $r) (local.get $a1))
          (v128.store offset=32 (local.get $r) (local.get $a2)) (v128.store offset=48 (local.get $r) (local.get $a3))
          (local.set $co (i32.add (local.get $co) (i32.const 64)))
          (br $cl)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl)))

      ;; ---- weigh: cur = Λ_n cur (the last layer's width in $bytes)
      (if (i32.eqz (i32.load offset=12 (local.get $desc)))
        (then
          (local.set $r (i32.add (i32.load offset=16 (local.get $desc)) (i32.mul (local.get $n) (local.get $bytes))))
          (local.set $s (v128.const i32x4 0 0 0 0))
          (local.set $q (i32.const 0))
          (block $d (loop $l
            (br_if $d (i32.ge_u (local.get $q) (local.get $bytes)))
            (local.set $s (f32x4.add (local.get $s)
              (f32x4.mul (v128.load (i32.add (local.get $r) (local.get $q))) (v128.load (i32.add (local.get $cur) (local.get $q))))))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br $l)))
          (local.set $s (f32x4.splat (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
            (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s))))))
          (local.set $q (i32.const 0))
          (block $d (loop $l
            (br_if $d (i32.ge_u (local.get $q) (local.get $bytes)))
            (local.set $p (v128.load (i32.add (local.get $r) (local.get $q))))
            (v128.store (i32.add (local.get $cur) (local.get $q))
              (f32x4.mul (local.get $p) (f32x4.sub (v128.load (i32.add (local.get $cur) (local.get $q))) (local.get $s))))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br $l))))
        (else
          (local.set $s (v128.load32_splat (i32.add (i32.load offset=16 (local.get $desc)) (i32.shl (local.get $n) (i32.const 2)))))
          (local.set $q (i32.const 0))
          (block $d (loop $l
            (br_if $d (i32.ge_u (local.get $q) (local.get $bytes)))
            (v128.store (i32.add (local.get $cur) (local.get $q))
              (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $cur) (local.get $q)))))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br $l)))))

      ;; ---- backward: δ in cur; layers L − 1 … 1
      (local.set $k (i32.sub (local.get $L) (i32.const 1)))
      (block $kd (loop $kl
        (br_if $kd (i32.eqz (local.get $k)))
        (local.set $lw (i32.add (local.get $desc) (i32.add (i32.const 64) (i32.shl (local.get $k) (i32.const 5)))))
        (local.set $in (i32.load (local.get $lw)))
        (local.set $out (i32.load offset=28 (local.get $lw)))
        (local.set $bytes (i32.shl (i32.load offset=4 (local.get $lw)) (i32.const 6)))
        (local.set $inBytes (i32.shl (i32.load offset=8 (local.get $lw)) (i32.const 6)))
        (local.set $G (i32.load (i32.add (local.get $desc) (i32.add (i32.const 352) (i32.shl (local.get $k) (i32.const 2))))))
        (local.set $aRow (i32.add (i32.load offset=12 (local.get $lw)) (i32.mul (local.get $n) (local.get $inBytes))))
        ;; G_k[i] += a_i δ (i < in), G_k[in] += δ: δ's 16 columns at a time in registers
        (local.set $co (i32.const 0))
        (block $cd (loop $cl
          (br_if $cd (i32.ge_u (local.get $co) (local.get $bytes)))
          (local.set $r (i32.add (local.get $cur) (local.get $co)))
          (local.set $a0 (v128.load (local.get $r))) (local.set $a1 (v128.load offset=16 (local.get $r)))
          (local.set $a2 (v128.load offset=32 (local.get $r))) (local.set $a3 (v128.load offset=48 (local.get $r)))
          (local.set $r (i32.add (local.get $G) (local.get $co)))
          (local.set $i (i32.const 0))
          (block $d (loop $l
            (br_if $d (i32.gt_u (local.get $i) (local.get $in)))
            (local.set $x (if (result v128) (i32.eq (local.get $i) (local.get $in))
              (then (v128.const f32x4 1 1 1 1))
              (else (v128.load32_splat (i32.add (local.get $aRow) (i32.shl (local.get $i) (i32.const 2)))))))
            (v128.store (local.get $r) (f32x4.add (v128.load (local.get $r)) (f32x4.mul (local.get $x) (local.get $a0))))
            (v128.store offset=16 (local.get $r) (f32x4.add (v128.load offset=16 (local.get $r)) (f32x4.mul (local.get $x) (local.get $a1))))
            (v128.store offset=32 (local.get $r) (f32x4.add (v128.load offset=32 (local.get $r)) (f32x4.mul (local.get $x) (local.get $a2))))
            (v128.store offset=48 (local.get $r) (f32x4.add (v128.load offset=48 (local.get $r)) (f32x4.mul (local.get $x) (local.get $a3))))
            (local.set $r (i32.add (local.get $r) (local.get $bytes)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
          (local.set $co (i32.add (local.get $co) (i32.const 64)))
          (br $cl)))
        ;; prev = D_{k−1}[n] ⊙ Σ_j δ_j W_kᵀ[j], the input's 16 columns at a time
        (local.set $W (i32.load offset=24 (local.get $lw)))
        (local.set $dRow (i32.add (i32.load offset=16 (i32.sub (local.get $lw) (i32.const 32)))
          (i32.mul (local.get $n) (local.get $inBytes))))
        (local.set $co (i32.const 0))
        (block $cd (loop $cl
          (br_if $cd (i32.ge_u (local.get $co) (local.get $inBytes)))
          (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
          (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
          (local.set $r (i32.add (local.get $W) (local.get $co)))
          (local.set $i (i32.const 0))
          (block $d (loop $l
            (br_if $d (i32.ge_u (local.get $i) (local.get $out)))
            (local.set $x (v128.load32_splat (i32.add (local.get $cur) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load (local.get $r)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $r)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $x) (v128.load offset=32 (local.get $r)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $x) (v128.load offset=48 (local.get $r)))))
            (local.set $r (i32.add (local.get $r) (local.get $inBytes)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
          (local.set $r (i32.add (local.get $dRow) (local.get $co)))
          (local.set $r2 (i32.add (local.get $prev) (local.get $co)))
          (v128.store (local.get $r2) (f32x4.mul (local.get $a0) (v128.load (local.get $r))))
          (v128.store offset=16 (local.get $r2) (f32x4.mul (local.get $a1) (v128.load offset=16 (local.get $r))))
          (v128.store offset=32 (local.get $r2) (f32x4.mul (local.get $a2) (v128.load offset=32 (local.get $r))))
          (v128.store offset=48 (local.get $r2) (f32x4.mul (local.get $a3) (v128.load offset=48 (local.get $r))))
          (local.set $co (i32.add (local.get $co) (i32.const 64)))
          (br $cl)))
        (local.set $swap (local.get $cur))
        (local.set $cur (local.get $prev))
        (local.set $prev (local.get $swap))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $kl)))

      ;; ---- layer 0's G: G_0[row] += x δ over x̄_n's entries, δ's 16 columns at a time
      (local.set $lw (i32.add (local.get $desc) (i32.const 64)))
      (local.set $bytes (i32.shl (i32.load offset=4 (local.get $lw)) (i32.const 6)))
      (local.set $G (i32.load offset=352 (local.get $desc)))
      (local.set $co (i32.const 0))
      (block $cd (loop $cl
        (br_if $cd (i32.ge_u (local.get $co) (local.get $bytes)))
        (local.set $r (i32.add (local.get $cur) (local.get $co)))
        (local.set $a0 (v128.load (local.get $r))) (local.set $a1 (v128.load offset=16 (local.get $r)))
        (local.set $a2 (v128.load offset=32 (local.get $r))) (local.set $a3 (v128.load offset=48 (local.get $r)))
        (local.set $e (local.get $eStart))
        (block $d (loop $l
          (br_if $d (i32.ge_u (local.get $e) (local.get $eEnd)))
          (local.set $x (v128.load32_splat (i32.add (local.get $val) (i32.shl (local.get $e) (i32.const 2)))))
          (local.set $r (i32.add (i32.add (local.get $G) (local.get $co))
            (i32.load (i32.add (local.get $idx) (i32.shl (local.get $e) (i32.const 2))))))
          (v128.store (local.get $r) (f32x4.add (v128.load (local.get $r)) (f32x4.mul (local.get $x) (local.get $a0))))
          (v128.store offset=16 (local.get $r) (f32x4.add (v128.load offset=16 (local.get $r)) (f32x4.mul (local.get $x) (local.get $a1))))
          (v128.store offset=32 (local.get $r) (f32x4.add (v128.load offset=32 (local.get $r)) (f32x4.mul (local.get $x) (local.get $a2))))
          (v128.store offset=48 (local.get $r) (f32x4.add (v128.load offset=48 (local.get $r)) (f32x4.mul (local.get $x) (local.get $a3))))
          (local.set $e (i32.add (local.get $e) (i32.const 1)))
          (br $l)))
        (local.set $co (i32.add (local.get $co) (i32.const 64)))
        (br $cl)))

      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (if (i32.or (i32.eqz (i32.and (local.get $n) (i32.const 15))) (i32.eq (local.get $n) (local.get $N)))
        (then (call $flush (i32.load offset=28 (local.get $desc)) (i32.load offset=32 (local.get $desc))
                           (i32.load offset=36 (local.get $desc)))))
      (br $nloop)))))
