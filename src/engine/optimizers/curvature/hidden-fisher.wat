;; K-FAC's factor G of a softmax network's hidden layer under the exact Fisher, in one pass
;; over the examples (docs/performance.md, 2026-12-07, evening: "K-FAC's hidden G"). hidden-fisher.ts
;; prepares the memory and calls `gram`; scripts/build-kernel.ts compiles this file into
;; hidden-fisher-wasm.ts (a test checks that the two agree).
;;
;; For each example n, with p = softmax probabilities [C], d = act'(z) of the hidden layer
;; [H] and W the output layer's weights (row c = the weights into class c, [H]):
;;   m = Σ_c p_c W_c,   r_c = √p_c · d ⊙ (W_c − m)       (c = 1 … C: the example's C rows,
;;                                                          δ backpropagated from √Λ's rows)
;;   G += Σ_c r_c r_cᵀ   (only the 4 × 4 blocks on and above the diagonal)
;;   mask[n] = Σ_c ‖r_c‖²
;; The tensor path forms the N·C rows r and their Gram matrix (two thirds of a K-FAC step on
;; digits); here each example's rows stay in the cache and half of G is skipped.
;; G is summed in float32 over 16 examples, then added into a float64 total: more accurate
;; than one float32 sum over all N·C rows.
;;
;; Layout (byte offsets, every row padded to H4 v128 with zeros):
;;   p: f32 [N][C]   d: f32 [N][4·H4]   W: f32 [C][4·H4]
;;   g32: f32 [4·H4][4·H4] (scratch, zero on entry)   g64: f64 [4·H4][4·H4] (the total, zero on entry)
;;   mask: f32 [N]   r: f32 [C][4·H4] (scratch)   m: f32 [4·H4] (scratch)
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

  (func (export "gram") (param $N i32) (param $C i32) (param $H4 i32)
        (param $pP i32) (param $pD i32) (param $pW i32) (param $pG32 i32) (param $pG64 i32)
        (param $pMask i32) (param $pR i32) (param $pM i32)
    (local $n i32) (local $c i32) (local $h i32) (local $row i32)
    (local $p i32) (local $d i32) (local $w i32) (local $r i32)
    (local $pc v128) (local $sq v128) (local $v v128)
    (local $ib i32) (local $jb i32) (local $g i32) (local $ri i32) (local $rj i32) (local $x v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $row (i32.shl (local.get $H4) (i32.const 4)))
    (block $ndone (loop $nloop
      (br_if $ndone (i32.ge_u (local.get $n) (local.get $N)))
      (local.set $p (i32.add (local.get $pP) (i32.shl (i32.mul (local.get $n) (local.get $C)) (i32.const 2))))
      (local.set $d (i32.add (local.get $pD) (i32.mul (local.get $n) (local.get $row))))

      ;; m = Σ_c p_c W_c
      (local.set $h (i32.const 0))
      (block $zd (loop $zl
        (br_if $zd (i32.ge_u (local.get $h) (local.get $row)))
        (v128.store (i32.add (local.get $pM) (local.get $h)) (v128.const i32x4 0 0 0 0))
        (local.set $h (i32.add (local.get $h) (i32.const 16)))
        (br $zl)))
      (local.set $c (i32.const 0))
      (local.set $w (local.get $pW))
      (block $cd (loop $cl
        (br_if $cd (i32.ge_u (local.get $c) (local.get $C)))
        (local.set $pc (v128.load32_splat (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $h (i32.const 0))
        (block $hd (loop $hl
          (br_if $hd (i32.ge_u (local.get $h) (local.get $row)))
          (v128.store (i32.add (local.get $pM) (local.get $h))
            (f32x4.add (v128.load (i32.add (local.get $pM) (local.get $h)))
                       (f32x4.mul (local.get $pc) (v128.load (i32.add (local.get $w) (local.get $h))))))
          (local.set $h (i32.add (local.get $h) (i32.const 16)))
          (br $hl)))
        (local.set $w (i32.add (local.get $w) (local.get $row)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cl)))

      ;; r_c = √p_c · d ⊙ (W_c − m), and Σ_c ‖r_c‖²
      (local.set $sq (v128.const i32x4 0 0 0 0))
      (local.set $c (i32.const 0))
      (local.set $w (local.get $pW))
      (local.set $r (local.get $pR))
      (block $cd (loop $cl
        (br_if $cd (i32.ge_u (local.get $c) (local.get $C)))
        (local.set $pc (f32x4.sqrt (v128.load32_splat (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2))))))
        (local.set $h (i32.const 0))
        (block $hd (loop $hl
          (br_if $hd (i32.ge_u (local.get $h) (local.get $row)))
          (local.set $v (f32x4.mul (f32x4.mul (local.get $pc) (v128.load (i32.add (local.get $d) (local.get $h))))
            (f32x4.sub (v128.load (i32.add (local.get $w) (local.get $h)))
                       (v128.load (i32.add (local.get $pM) (local.get $h))))))
          (v128.store (i32.add (local.get $r) (local.get $h)) (local.get $v))
          (local.set $sq (f32x4.add (local.get $sq) (f32x4.mul (local.get $v) (local.get $v))))
          (local.set $h (i32.add (local.get $h) (i32.const 16)))
          (br $hl)))
        (local.set $w (i32.add (local.get $w) (local.get $row)))
        (local.set $r (i32.add (local.get $r) (local.get $row)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cl)))
      (f32.store (i32.add (local.get $pMask) (i32.shl (local.get $n) (i32.const 2)))
        (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sq)) (f32x4.extract_lane 1 (local.get $sq)))
                 (f32.add (f32x4.extract_lane 2 (local.get $sq)) (f32x4.extract_lane 3 (local.get $sq)))))

      ;; g32's blocks on and above the diagonal, rows 4ib … 4ib + 3, columns 4jb … 4jb + 3:
      ;; four accumulators, each row's entry of r_c splat against r_c's four columns.
      (local.set $ib (i32.const 0))
      (block $ibd (loop $ibl
        (br_if $ibd (i32.ge_u (local.get $ib) (local.get $H4)))
        (local.set $jb (local.get $ib))
        (block $jbd (loop $jbl
          (br_if $jbd (i32.ge_u (local.get $jb) (local.get $H4)))
          (local.set $g (i32.add (local.get $pG32)
            (i32.add (i32.mul (i32.shl (local.get $ib) (i32.const 2)) (local.get $row))
                     (i32.shl (local.get $jb) (i32.const 4)))))
          (local.set $a0 (v128.load (local.get $g)))
          (local.set $a1 (v128.load (i32.add (local.get $g) (local.get $row))))
          (local.set $a2 (v128.load (i32.add (local.get $g) (i32.shl (local.get $row) (i32.const 1)))))
          (local.set $a3 (v128.load (i32.add (local.get $g) (i32.mul (local.get $row) (i32.const 3)))))
          (local.set $ri (i32.add (local.get $pR) (i32.shl (local.get $ib) (i32.const 4))))
          (local.set $rj (i32.add (local.get $pR) (i32.shl (local.get $jb) (i32.const 4))))
          (local.set $c (i32.const 0))
          (block $cd (loop $cl
            (br_if $cd (i32.ge_u (local.get $c) (local.get $C)))
            (local.set $x (v128.load (local.get $rj)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat (local.get $ri)) (local.get $x))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load32_splat offset=4 (local.get $ri)) (local.get $x))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load32_splat offset=8 (local.get $ri)) (local.get $x))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load32_splat offset=12 (local.get $ri)) (local.get $x))))
            (local.set $ri (i32.add (local.get $ri) (local.get $row)))
            (local.set $rj (i32.add (local.get $rj) (local.get $row)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cl)))
          (v128.store (local.get $g) (local.get $a0))
          (v128.store (i32.add (local.get $g) (local.get $row)) (local.get $a1))
          (v128.store (i32.add (local.get $g) (i32.shl (local.get $row) (i32.const 1))) (local.get $a2))
          (v128.store (i32.add (local.get $g) (i32.mul (local.get $row) (i32.const 3))) (local.get $a3))
          (local.set $jb (i32.add (local.get $jb) (i32.const 1)))
          (br $jbl)))
        (local.set $ib (i32.add (local.get $ib) (i32.const 1)))
        (br $ibl)))

      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      ;; every 16 examples, and after the last: into the float64 total
      (if (i32.or (i32.eqz (i32.and (local.get $n) (i32.const 15))) (i32.eq (local.get $n) (local.get $N)))
        (then (call $flush (local.get $pG32) (local.get $pG64) (i32.shl (i32.mul (local.get $H4) (local.get $H4)) (i32.const 2)))))
      (br $nloop)))))
