;; The loss of a dense network at many points of a 2-D parameter plane, in one pass
;; (docs/performance.md, "the digits slice by a fused kernel"). plane-kernel.ts prepares the
;; memory and calls `plane`; scripts/build-kernel.mjs compiles this file into
;; plane-kernel-wasm.ts (a test checks that the two agree).
;;
;; Four points (α, β) go through the network side by side, one in each lane of an f32x4,
;; one example at a time, so no activation ever leaves the cache: for each example n
;;   layer 0:  z = q_c[n] + α q_1[n] + β q_2[n]   (q_t = x̄[n]·[W_t; b_t], the same for every point)
;;   layer l:  z = b_l(α, β) + a·W_l(α, β)         (each point's own weights, made by the caller)
;; then the example's loss, summed over n per point. Float32 throughout, like the tensor path.
;;
;; Layout. All offsets are bytes into the memory; `desc` points at i32 words:
;;   0 L: layers        1 H: layer 0's units   2 act0       3 q: f32 [N][H][3] (q_c, q_1, q_2)
;;   4 ab: f32 [G4][2][4] (α of four points, then β)          5 out: f32 [G4][4], Σ_n ℓ per point
;;   6, 7: two scratch rows of v128, as wide as the widest layer
;;   8 loss: 0 softmax (ℓ = (Σy) lse(o) − yᵀo), 1 binary (ℓ = (Σy) softplus(o₀) − y₁ o₀),
;;           2 gaussian (ℓ = scale Σ (o − y)²)
;;   9 y: f32 [N][T]    10 T    11 ySum: f32 [N]    12 scale (f32 bits)
;;   16 + 8(l − 1), for l = 1 … L − 1: inputs, outputs, act, W (f32 [G4][outputs][inputs][4]),
;;     b (f32 [G4][outputs][4]), W's bytes per block of four points, b's bytes per block.
;; Activations: 0 tanh, 1 relu, 2 linear, 3 softplus.
(module
  (memory (export "memory") 1)

  ;; e^x, four lanes: x = k ln 2 + r, e^r by a degree-6 polynomial (Cephes expf), 2^k in the
  ;; exponent bits. Relative error about 1e-7; x is clamped to [-87.3, 88.3].
  (func $exp (param $x v128) (result v128)
    (local $k v128) (local $r v128) (local $y v128)
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (v128.const f32x4 -87.3 -87.3 -87.3 -87.3))
                             (v128.const f32x4 88.3 88.3 88.3 88.3)))
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $x)
      (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
      (f32x4.mul (local.get $k) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $y (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $y (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $y) (local.get $r)) (local.get $r)) (local.get $r))
                             (v128.const f32x4 1 1 1 1)))
    (f32x4.mul (local.get $y)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (i32x4.splat (i32.const 127))) (i32.const 23))))

  ;; log x, four lanes, x positive and finite: x = m 2^e with m in [√½, √2), log m by a
  ;; degree-9 polynomial in m − 1 (Cephes logf). Relative error about 1e-7.
  (func $log (param $x v128) (result v128)
    (local $e v128) (local $m v128) (local $small v128) (local $z v128) (local $y v128)
    (local.set $e (f32x4.convert_i32x4_s
      (i32x4.sub (i32x4.shr_u (local.get $x) (i32.const 23)) (i32x4.splat (i32.const 126)))))
    (local.set $m (v128.or (v128.and (local.get $x) (i32x4.splat (i32.const 0x007fffff)))
                           (i32x4.splat (i32.const 0x3f000000))))
    (local.set $small (f32x4.lt (local.get $m) (v128.const f32x4 0.707106781186547524 0.707106781186547524 0.707106781186547524 0.707106781186547524)))
    (local.set $e (f32x4.sub (local.get $e) (v128.and (local.get $small) (v128.const f32x4 1 1 1 1))))
    (local.set $x (f32x4.add (f32x4.sub (local.get $m) (v128.const f32x4 1 1 1 1))
                             (v128.and (local.get $small) (local.get $m))))
    (local.set $z (f32x4.mul (local.get $x) (local.get $x)))
    (local.set $y (v128.const f32x4 7.0376836292e-2 7.0376836292e-2 7.0376836292e-2 7.0376836292e-2))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) (v128.const f32x4 -1.1514610310e-1 -1.1514610310e-1 -1.1514610310e-1 -1.1514610310e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) (v128.const f32x4 1.1676998740e-1 1.1676998740e-1 1.1676998740e-1 1.1676998740e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) (v128.const f32x4 -1.2420140846e-1 -1.2420140846e-1 -1.2420140846e-1 -1.2420140846e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) (v128.const f32x4 1.4249322787e-1 1.4249322787e-1 1.4249322787e-1 1.4249322787e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) (v128.const f32x4 -1.6668057665e-1 -1.6668057665e-1 -1.6668057665e-1 -1.6668057665e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) (v128.const f32x4 2.0000714765e-1 2.0000714765e-1 2.0000714765e-1 2.0000714765e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) (v128.const f32x4 -2.4999993993e-1 -2.4999993993e-1 -2.4999993993e-1 -2.4999993993e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) (v128.const f32x4 3.3333331174e-1 3.3333331174e-1 3.3333331174e-1 3.3333331174e-1)))
    (local.set $y (f32x4.mul (f32x4.mul (local.get $y) (local.get $x)) (local.get $z)))
    (local.set $y (f32x4.add (local.get $y) (f32x4.mul (local.get $e) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $y (f32x4.sub (local.get $y) (f32x4.mul (local.get $z) (v128.const f32x4 0.5 0.5 0.5 0.5))))
    (f32x4.add (f32x4.add (local.get $x) (local.get $y))
               (f32x4.mul (local.get $e) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))

  ;; softplus z = max(z, 0) + log(1 + e^−|z|), four lanes.
  (func $softplus (param $z v128) (result v128)
    (f32x4.add (f32x4.max (local.get $z) (v128.const f32x4 0 0 0 0))
      (call $log (f32x4.add (v128.const f32x4 1 1 1 1)
        (call $exp (f32x4.neg (f32x4.abs (local.get $z))))))))

  ;; The activation `kind` in place on `count` v128 at `p`. tanh is a rational function of
  ;; degree 13/6 on [-7.9, 7.9] (the form of Eigen's float tanh; absolute error 3e-7) and ±1
  ;; beyond: one division instead of an exponential.
  (func $activate (param $p i32) (param $count i32) (param $kind i32)
    (local $end i32) (local $x v128) (local $x2 v128) (local $num v128) (local $den v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 4))))
    (block $done
      (br_if $done (i32.eq (local.get $kind) (i32.const 2)))
      (if (i32.eqz (local.get $kind)) (then
        (loop $tanh
          (if (i32.lt_u (local.get $p) (local.get $end)) (then
            (local.set $x (f32x4.min (f32x4.max (v128.load (local.get $p))
                (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805))
              (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)))
            (local.set $x2 (f32x4.mul (local.get $x) (local.get $x)))
            (local.set $num (f32x4.add (f32x4.mul (local.get $x2) (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16))
                                       (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)))
            (local.set $num (f32x4.add (f32x4.mul (local.get $x2) (local.get $num)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)))
            (local.set $num (f32x4.add (f32x4.mul (local.get $x2) (local.get $num)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)))
            (local.set $num (f32x4.add (f32x4.mul (local.get $x2) (local.get $num)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)))
            (local.set $num (f32x4.add (f32x4.mul (local.get $x2) (local.get $num)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)))
            (local.set $num (f32x4.add (f32x4.mul (local.get $x2) (local.get $num)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)))
            (local.set $den (f32x4.add (f32x4.mul (local.get $x2) (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06))
                                       (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)))
            (local.set $den (f32x4.add (f32x4.mul (local.get $x2) (local.get $den)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)))
            (local.set $den (f32x4.add (f32x4.mul (local.get $x2) (local.get $den)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))
            (v128.store (local.get $p) (f32x4.div (f32x4.mul (local.get $x) (local.get $num)) (local.get $den)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $tanh))))
        (br $done)))
      (if (i32.eq (local.get $kind) (i32.const 1)) (then
        (loop $relu
          (if (i32.lt_u (local.get $p) (local.get $end)) (then
            (v128.store (local.get $p) (f32x4.max (v128.load (local.get $p)) (v128.const f32x4 0 0 0 0)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $relu))))
        (br $done)))
      (loop $softplus
        (if (i32.lt_u (local.get $p) (local.get $end)) (then
          (v128.store (local.get $p) (call $softplus (v128.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br $softplus))))))

  ;; to[k] = b[k] + Σ_j from[j] W[k][j] for k < outputs, j < inputs (v128 each: four points).
  ;; Two outputs at a time and the inputs two at a time: four independent sums.
  (func $dense (param $from i32) (param $inputs i32) (param $to i32) (param $outputs i32)
               (param $w i32) (param $b i32)
    (local $k i32) (local $j i32) (local $end i32) (local $w2 i32) (local $h i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $h0 v128) (local $h1 v128)
    (local $row i32)
    (local.set $row (i32.shl (local.get $inputs) (i32.const 4)))
    (local.set $end (i32.add (local.get $from) (i32.shl (i32.and (local.get $inputs) (i32.const -2)) (i32.const 4))))
    (local.set $k (i32.const 0))
    (block $kdone (loop $kloop
      (br_if $kdone (i32.ge_u (i32.add (local.get $k) (i32.const 1)) (local.get $outputs)))
      (local.set $s0 (v128.load (local.get $b)))
      (local.set $s1 (v128.const i32x4 0 0 0 0))
      (local.set $s2 (v128.load offset=16 (local.get $b)))
      (local.set $s3 (v128.const i32x4 0 0 0 0))
      (local.set $w2 (i32.add (local.get $w) (local.get $row)))
      (local.set $h (local.get $from))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $h) (local.get $end)))
        (local.set $h0 (v128.load (local.get $h)))
        (local.set $h1 (v128.load offset=16 (local.get $h)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $h0) (v128.load (local.get $w)))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $h1) (v128.load offset=16 (local.get $w)))))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $h0) (v128.load (local.get $w2)))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $h1) (v128.load offset=16 (local.get $w2)))))
        (local.set $h (i32.add (local.get $h) (i32.const 32)))
        (local.set $w (i32.add (local.get $w) (i32.const 32)))
        (local.set $w2 (i32.add (local.get $w2) (i32.const 32)))
        (br $jloop)))
      (if (i32.and (local.get $inputs) (i32.const 1)) (then
        (local.set $h0 (v128.load (local.get $h)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $h0) (v128.load (local.get $w)))))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $h0) (v128.load (local.get $w2)))))
        (local.set $w2 (i32.add (local.get $w2) (i32.const 16)))))
      (v128.store (local.get $to) (f32x4.add (local.get $s0) (local.get $s1)))
      (v128.store offset=16 (local.get $to) (f32x4.add (local.get $s2) (local.get $s3)))
      ;; past both rows: the next pair starts where row k + 1 ended
      (local.set $w (local.get $w2))
      (local.set $b (i32.add (local.get $b) (i32.const 32)))
      (local.set $to (i32.add (local.get $to) (i32.const 32)))
      (local.set $k (i32.add (local.get $k) (i32.const 2)))
      (br $kloop)))
    ;; an odd last output
    (if (i32.lt_u (local.get $k) (local.get $outputs)) (then
      (local.set $s0 (v128.load (local.get $b)))
      (local.set $h (local.get $from))
      (local.set $end (i32.add (local.get $from) (local.get $row)))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $h) (local.get $end)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load (local.get $h)) (v128.load (local.get $w)))))
        (local.set $h (i32.add (local.get $h) (i32.const 16)))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (br $jloop)))
      (v128.store (local.get $to) (local.get $s0)))))

  ;; One example's loss at four points from the network's output o (v128 each) at `o`.
  (func $loss (param $o i32) (param $D i32) (param $kind i32) (param $y i32) (param $ySum f32) (param $scale f32)
                (result v128)
    (local $k i32) (local $m v128) (local $s v128) (local $yo v128) (local $v v128) (local $p i32)
    (if (i32.eqz (local.get $kind)) (then
      ;; (Σy)(m + log Σ_k e^(o_k − m)) − Σ_k y_k o_k, m = max_k o_k
      (local.set $m (v128.load (local.get $o)))
      (local.set $k (i32.const 1))
      (block $d (loop $l
        (br_if $d (i32.ge_u (local.get $k) (local.get $D)))
        (local.set $m (f32x4.max (local.get $m) (v128.load (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 4))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l)))
      (local.set $s (v128.const i32x4 0 0 0 0))
      (local.set $yo (v128.const i32x4 0 0 0 0))
      (local.set $k (i32.const 0))
      (block $d (loop $l
        (br_if $d (i32.ge_u (local.get $k) (local.get $D)))
        (local.set $v (v128.load (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 4)))))
        (local.set $s (f32x4.add (local.get $s) (call $exp (f32x4.sub (local.get $v) (local.get $m)))))
        (local.set $yo (f32x4.add (local.get $yo)
          (f32x4.mul (local.get $v) (v128.load32_splat (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 2)))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l)))
      (return (f32x4.sub
        (f32x4.mul (f32x4.splat (local.get $ySum)) (f32x4.add (local.get $m) (call $log (local.get $s))))
        (local.get $yo)))))
    (if (i32.eq (local.get $kind) (i32.const 1)) (then
      ;; (Σy) softplus(o₀) − y₁ o₀
      (local.set $v (v128.load (local.get $o)))
      (return (f32x4.sub
        (f32x4.mul (f32x4.splat (local.get $ySum)) (call $softplus (local.get $v)))
        (f32x4.mul (v128.load32_splat offset=4 (local.get $y)) (local.get $v))))))
    ;; scale Σ_k (o_k − y_k)²
    (local.set $s (v128.const i32x4 0 0 0 0))
    (local.set $k (i32.const 0))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $k) (local.get $D)))
      (local.set $v (f32x4.sub (v128.load (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 4))))
        (v128.load32_splat (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 2))))))
      (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $v) (local.get $v))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l)))
    (f32x4.mul (local.get $s) (f32x4.splat (local.get $scale))))

  ;; Σ_n ℓ_n at G4 blocks of four points; see the layout above.
  (func (export "plane") (param $G4 i32) (param $N i32) (param $desc i32)
    (local $L i32) (local $H i32) (local $act0 i32) (local $pq i32) (local $pab i32) (local $pout i32)
    (local $bufA i32) (local $bufB i32) (local $lossKind i32) (local $py i32) (local $T i32) (local $pysum i32)
    (local $scale f32)
    (local $g i32) (local $n i32) (local $l i32) (local $q i32) (local $h i32) (local $end i32)
    (local $cur i32) (local $nxt i32) (local $t i32) (local $D i32) (local $ld i32)
    (local $a v128) (local $b v128) (local $sum v128)
    (local.set $L (i32.load (local.get $desc)))
    (local.set $H (i32.load offset=4 (local.get $desc)))
    (local.set $act0 (i32.load offset=8 (local.get $desc)))
    (local.set $pq (i32.load offset=12 (local.get $desc)))
    (local.set $pab (i32.load offset=16 (local.get $desc)))
    (local.set $pout (i32.load offset=20 (local.get $desc)))
    (local.set $bufA (i32.load offset=24 (local.get $desc)))
    (local.set $bufB (i32.load offset=28 (local.get $desc)))
    (local.set $lossKind (i32.load offset=32 (local.get $desc)))
    (local.set $py (i32.load offset=36 (local.get $desc)))
    (local.set $T (i32.load offset=40 (local.get $desc)))
    (local.set $pysum (i32.load offset=44 (local.get $desc)))
    (local.set $scale (f32.load offset=48 (local.get $desc)))
    (local.set $g (i32.const 0))
    (block $gdone (loop $gloop
      (br_if $gdone (i32.ge_u (local.get $g) (local.get $G4)))
      (local.set $a (v128.load (i32.add (local.get $pab) (i32.shl (local.get $g) (i32.const 5)))))
      (local.set $b (v128.load offset=16 (i32.add (local.get $pab) (i32.shl (local.get $g) (i32.const 5)))))
      (local.set $sum (v128.const i32x4 0 0 0 0))
      (local.set $q (local.get $pq))
      (local.set $n (i32.const 0))
      (block $ndone (loop $nloop
        (br_if $ndone (i32.ge_u (local.get $n) (local.get $N)))
        ;; layer 0: q_c + α q_1 + β q_2 for each unit
        (local.set $h (local.get $bufA))
        (local.set $end (i32.add (local.get $bufA) (i32.shl (local.get $H) (i32.const 4))))
        (block $hdone (loop $hloop
          (br_if $hdone (i32.ge_u (local.get $h) (local.get $end)))
          (v128.store (local.get $h)
            (f32x4.add (v128.load32_splat (local.get $q))
              (f32x4.add (f32x4.mul (local.get $a) (v128.load32_splat offset=4 (local.get $q)))
                         (f32x4.mul (local.get $b) (v128.load32_splat offset=8 (local.get $q))))))
          (local.set $q (i32.add (local.get $q) (i32.const 12)))
          (local.set $h (i32.add (local.get $h) (i32.const 16)))
          (br $hloop)))
        (call $activate (local.get $bufA) (local.get $H) (local.get $act0))
        (local.set $cur (local.get $bufA))
        (local.set $nxt (local.get $bufB))
        (local.set $D (local.get $H))
        ;; layers 1 … L − 1, each point with its own weights
        (local.set $l (i32.const 1))
        (block $ldone (loop $lloop
          (br_if $ldone (i32.ge_u (local.get $l) (local.get $L)))
          (local.set $ld (i32.add (local.get $desc) (i32.shl (i32.add (i32.const 8) (i32.shl (local.get $l) (i32.const 3))) (i32.const 2))))
          (local.set $D (i32.load offset=4 (local.get $ld)))
          (call $dense (local.get $cur) (i32.load (local.get $ld)) (local.get $nxt) (local.get $D)
            (i32.add (i32.load offset=12 (local.get $ld)) (i32.mul (local.get $g) (i32.load offset=20 (local.get $ld))))
            (i32.add (i32.load offset=16 (local.get $ld)) (i32.mul (local.get $g) (i32.load offset=24 (local.get $ld)))))
          (call $activate (local.get $nxt) (local.get $D) (i32.load offset=8 (local.get $ld)))
          (local.set $t (local.get $cur))
          (local.set $cur (local.get $nxt))
          (local.set $nxt (local.get $t))
          (local.set $l (i32.add (local.get $l) (i32.const 1)))
          (br $lloop)))
        (local.set $sum (f32x4.add (local.get $sum)
          (call $loss (local.get $cur) (local.get $D) (local.get $lossKind)
            (i32.add (local.get $py) (i32.shl (i32.mul (local.get $n) (local.get $T)) (i32.const 2)))
            (f32.load (i32.add (local.get $pysum) (i32.shl (local.get $n) (i32.const 2))))
            (local.get $scale))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $nloop)))
      (v128.store (i32.add (local.get $pout) (i32.shl (local.get $g) (i32.const 4))) (local.get $sum))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br $gloop)))))
