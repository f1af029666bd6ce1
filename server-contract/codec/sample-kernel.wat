;; WebAssembly kernel of the coded-sample decoder: the per-channel loop of DecoderState.channel in
;; sample-decoder.ts (the reference), statement for statement, so that it accepts and refuses
;; exactly the same bytes. Built into sample-kernel-wasm.ts by `npm run build:wasm`
;; (scripts/build-wasm-kernel.mjs, wabt's wat2wasm); a unit test rebuilds it and compares.
;;
;; Memory layout (byte offsets; sample-kernel.ts owns it and grows the memory):
;;   0       slots:   token of each (context, slot), u8, index (ctx << 11) | slot
;;   98304   symbols: frequency << 16 | start of each (context, token), i32, index (ctx << 7) | token
;;   122880  counts:  decoded tokens per (context, token), i32, indexed as symbols
;;   147456… the chunk's streams (each followed by zero padding), residuals and output channels
;; Arithmetic is int32 modulo 2^32 throughout, as the JS loop's `| 0`, `>>>` and Math.imul are.
;; The decoder state lives in the exported globals between calls (one call per channel).
(module
  (memory (export "memory") 4)
  ;; The state that decodes the next symbol, and the other one (they take turns).
  (global $x0 (export "x0") (mut i32) (i32.const 0))
  (global $x1 (export "x1") (mut i32) (i32.const 0))
  ;; Read positions in the rANS and raw-bit streams, relative to their starts.
  (global $ransPos (export "ransPos") (mut i32) (i32.const 0))
  (global $rawPos (export "rawPos") (mut i32) (i32.const 0))
  ;; Raw bits read but not consumed, and how many.
  (global $acc (export "acc") (mut i32) (i32.const 0))
  (global $bits (export "bits") (mut i32) (i32.const 0))
  ;; Smallest and largest sample of the channel decoded last (0 and 0 when it is empty).
  (global $min (export "min") (mut i32) (i32.const 0))
  (global $max (export "max") (mut i32) (i32.const 0))

  ;; Decodes one channel of $n samples to $out, reading the previous channel's residuals at $prev
  ;; and writing its own at $cur; $rans and $raw are the streams' start addresses. Returns 0, or 1
  ;; for a token in a context without a table (the state is then left as it was at the call).
  (func (export "channel")
    (param $n i32) (param $prev i32) (param $cur i32) (param $out i32)
    (param $rans i32) (param $raw i32) (param $signMask i32) (result i32)
    (local $i i32) (local $x i32) (local $x0 i32) (local $x1 i32) (local $ransPos i32)
    (local $acc i32) (local $bits i32) (local $rawPos i32) (local $a i32) (local $b i32)
    (local $u1 i32) (local $u2 i32) (local $u i32) (local $v i32) (local $min i32) (local $max i32)
    (local $neighbour i32) (local $sum i32) (local $ctx i32) (local $slot i32) (local $token i32)
    (local $id i32) (local $symbol i32) (local $k i32) (local $rawBits i32) (local $take i32)
    (local $rest i32) (local $low i32) (local $value i32)
    (local.set $x0 (global.get $x0))
    (local.set $x1 (global.get $x1))
    (local.set $ransPos (global.get $ransPos))
    (local.set $acc (global.get $acc))
    (local.set $bits (global.get $bits))
    (local.set $rawPos (global.get $rawPos))
    (local.set $min (i32.const 0x7fffffff))
    (local.set $max (i32.const 0x80000000))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (local.set $neighbour (i32.load (i32.add (local.get $prev) (i32.shl (local.get $i) (i32.const 2)))))
        ;; The context's magnitude class: the bit length of min(u1/2 + u2/2 + neighbour/2, 1024).
        ;; u2 and the neighbour are known a sample ahead, so their clamped sum is off the chain that
        ;; runs from one token to the next context; u1/2 (< 2^31) is added unclamped: the sum stays
        ;; below 2^32, and it is at least 1024 exactly when the clamped one is (class 11).
        (local.set $sum
          (i32.add (i32.shr_u (local.get $u2) (i32.const 1)) (i32.shr_u (local.get $neighbour) (i32.const 1))))
        (local.set $sum
          (select (local.get $sum) (i32.const 1024) (i32.lt_u (local.get $sum) (i32.const 1024))))
        (local.set $sum (i32.add (local.get $sum) (i32.shr_u (local.get $u1) (i32.const 1))))
        ;; $ctx holds ctx << 11, ctx = class << 2 | (((neighbour & 1) << 1 | (u1 & 1)) & signMask):
        ;; the class is shifted into place before the cap, so the slot's address is two ORs away.
        (local.set $ctx
          (i32.or
            (select (i32.const 0x16000)
              (i32.shl (i32.sub (i32.const 32) (i32.clz (local.get $sum))) (i32.const 13))
              (i32.ge_u (local.get $sum) (i32.const 1024)))
            (i32.shl
              (i32.and
                (i32.or
                  (i32.shl (i32.and (local.get $neighbour) (i32.const 1)) (i32.const 1))
                  (i32.and (local.get $u1) (i32.const 1)))
                (local.get $signMask))
              (i32.const 11))))
        (local.set $x (local.get $x0))
        (local.set $slot (i32.and (local.get $x) (i32.const 2047)))
        (local.set $token (i32.load8_u (i32.or (local.get $ctx) (local.get $slot))))
        (if (i32.eq (local.get $token) (i32.const 255)) (then (return (i32.const 1))))
        (local.set $id (i32.or (i32.shr_u (local.get $ctx) (i32.const 4)) (local.get $token)))
        (local.set $symbol
          (i32.load offset=98304 (i32.shl (local.get $id) (i32.const 2))))
        ;; x = freq × (x >> 11) + slot − start
        (local.set $x
          (i32.sub
            (i32.add
              (i32.mul (i32.shr_u (local.get $symbol) (i32.const 16)) (i32.shr_u (local.get $x) (i32.const 11)))
              (local.get $slot))
            (i32.and (local.get $symbol) (i32.const 0xffff))))
        ;; k = bytes due (0, 1 or 2): (x < 2^23) + (x < 2^15), both read as one big-endian word.
        (local.set $k
          (i32.add
            (i32.shr_u (i32.sub (local.get $x) (i32.const 0x800000)) (i32.const 31))
            (i32.shr_u (i32.sub (local.get $x) (i32.const 0x8000)) (i32.const 31))))
        (local.set $k (i32.shl (local.get $k) (i32.const 3)))
        (local.set $x
          (i32.or
            (i32.shl (local.get $x) (local.get $k))
            (i32.shr_u
              (i32.or
                (i32.shl (i32.load8_u (i32.add (local.get $rans) (local.get $ransPos))) (i32.const 8))
                (i32.load8_u offset=1 (i32.add (local.get $rans) (local.get $ransPos))))
              (i32.sub (i32.const 16) (local.get $k)))))
        (local.set $ransPos (i32.add (local.get $ransPos) (i32.shr_u (local.get $k) (i32.const 3))))
        (local.set $x0 (local.get $x1))
        (local.set $x1 (local.get $x))
        (i32.store offset=122880 (i32.shl (local.get $id) (i32.const 2))
          (i32.add (i32.load offset=122880 (i32.shl (local.get $id) (i32.const 2))) (i32.const 1)))
        (local.set $u (local.get $token))
        (if (i32.ge_u (local.get $token) (i32.const 16))
          (then
            (local.set $rawBits
              (i32.add (i32.shr_s (i32.sub (local.get $token) (i32.const 16)) (i32.const 1)) (i32.const 3)))
            ;; At most 23 bits are held, so one refill of up to two bytes gives at least 16.
            (if (i32.lt_s (local.get $bits) (i32.const 16))
              (then
                (local.set $take (i32.shr_s (i32.sub (i32.const 23) (local.get $bits)) (i32.const 3)))
                (local.set $acc
                  (i32.or (local.get $acc)
                    (i32.shl
                      (i32.and
                        (i32.or
                          (i32.load8_u (i32.add (local.get $raw) (local.get $rawPos)))
                          (i32.shl
                            (i32.load8_u offset=1 (i32.add (local.get $raw) (local.get $rawPos)))
                            (i32.const 8)))
                        (i32.sub
                          (i32.shl (i32.const 1) (i32.shl (local.get $take) (i32.const 3)))
                          (i32.const 1)))
                      (local.get $bits))))
                (local.set $bits (i32.add (local.get $bits) (i32.shl (local.get $take) (i32.const 3))))
                (local.set $rawPos (i32.add (local.get $rawPos) (local.get $take)))))
            (if (i32.gt_s (local.get $rawBits) (i32.const 16))
              (then
                (local.set $low (i32.and (local.get $acc) (i32.const 0xffff)))
                (local.set $acc (i32.shr_u (local.get $acc) (i32.const 16)))
                (local.set $bits (i32.sub (local.get $bits) (i32.const 16)))
                (local.set $rest (i32.sub (local.get $rawBits) (i32.const 16)))
                (block $full
                  (loop $fill
                    (br_if $full (i32.ge_s (local.get $bits) (local.get $rest)))
                    (local.set $acc
                      (i32.or (local.get $acc)
                        (i32.shl
                          (i32.load8_u (i32.add (local.get $raw) (local.get $rawPos)))
                          (local.get $bits))))
                    (local.set $rawPos (i32.add (local.get $rawPos) (i32.const 1)))
                    (local.set $bits (i32.add (local.get $bits) (i32.const 8)))
                    (br $fill)))
                (local.set $value
                  (i32.or (local.get $low)
                    (i32.shl
                      (i32.and (local.get $acc)
                        (i32.sub (i32.shl (i32.const 1) (local.get $rest)) (i32.const 1)))
                      (i32.const 16))))
                (local.set $acc (i32.shr_u (local.get $acc) (local.get $rest)))
                (local.set $bits (i32.sub (local.get $bits) (local.get $rest))))
              (else
                (local.set $value
                  (i32.and (local.get $acc)
                    (i32.sub (i32.shl (i32.const 1) (local.get $rawBits)) (i32.const 1))))
                (local.set $acc (i32.shr_u (local.get $acc) (local.get $rawBits)))
                (local.set $bits (i32.sub (local.get $bits) (local.get $rawBits)))))
            (local.set $u
              (i32.or
                (i32.shl
                  (i32.add (i32.const 2) (i32.and (i32.sub (local.get $token) (i32.const 16)) (i32.const 1)))
                  (local.get $rawBits))
                (local.get $value)))))
        (i32.store (i32.add (local.get $cur) (i32.shl (local.get $i) (i32.const 2))) (local.get $u))
        (local.set $u2 (local.get $u1))
        (local.set $u1 (local.get $u))
        ;; v = unzigzag(u) + a + ((3 × (a − b)) >> 2)
        (local.set $v
          (i32.add
            (i32.xor
              (i32.shr_u (local.get $u) (i32.const 1))
              (i32.sub (i32.const 0) (i32.and (local.get $u) (i32.const 1))))
            (i32.add (local.get $a)
              (i32.shr_s (i32.mul (i32.sub (local.get $a) (local.get $b)) (i32.const 3)) (i32.const 2)))))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (local.get $v))
        (local.set $min (select (local.get $v) (local.get $min) (i32.lt_s (local.get $v) (local.get $min))))
        (local.set $max (select (local.get $v) (local.get $max) (i32.gt_s (local.get $v) (local.get $max))))
        (local.set $b (select (local.get $v) (local.get $a) (i32.eqz (local.get $i))))
        (local.set $a (local.get $v))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $n)))))
    (global.set $min (select (local.get $min) (i32.const 0) (local.get $n)))
    (global.set $max (select (local.get $max) (i32.const 0) (local.get $n)))
    (global.set $x0 (local.get $x0))
    (global.set $x1 (local.get $x1))
    (global.set $ransPos (local.get $ransPos))
    (global.set $acc (local.get $acc))
    (global.set $bits (local.get $bits))
    (global.set $rawPos (local.get $rawPos))
    (i32.const 0)))
