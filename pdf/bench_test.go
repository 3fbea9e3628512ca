package pdf

import (
	"context"
	"testing"
)

// benchFinalize mirrors the bench README's reference operation: one drawn and one typed signer, a 30-line audit.
func benchFinalize(b *testing.B, name string) {
	in := fixture(b, name)
	signers := twoSigners(b)
	audit := auditFor(in, 30)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Finalize(context.Background(), in, signers, audit); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFinalize10(b *testing.B)  { benchFinalize(b, "in-10.pdf") }
func BenchmarkFinalize200(b *testing.B) { benchFinalize(b, "in-200.pdf") }

func BenchmarkInspect(b *testing.B) {
	for _, name := range []string{"in-10.pdf", "in-200.pdf"} {
		b.Run(name, func(b *testing.B) {
			in := fixture(b, name)
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Inspect(context.Background(), in, DefaultLimits()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchSeal seals the finalized fixture; on the 200-page file it shows what a second validation would cost.
func benchSeal(b *testing.B, name string) {
	in := fixture(b, name)
	finalized, err := Finalize(context.Background(), in, twoSigners(b), auditFor(in, 30))
	if err != nil {
		b.Fatal(err)
	}
	s := newTestSealer(b)
	b.SetBytes(int64(len(finalized)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Seal(context.Background(), finalized); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSeal200(b *testing.B) { benchSeal(b, "in-200.pdf") }
