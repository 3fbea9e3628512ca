package worker_test

import (
	"context"
	"testing"
	"time"

	"signet/pdf"
	"signet/pdf/worker"
)

// BenchmarkInspect compares the intake check of a 10-page PDF in this process with a round trip through a
// warm pool: the difference is the price of the isolation.
func BenchmarkInspect(b *testing.B) {
	in := fixture(b, "in-10.pdf")
	b.Run("in-process", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			if _, err := pdf.Inspect(context.Background(), in, pdf.DefaultLimits()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pool", func(b *testing.B) {
		p := newPool(b, worker.Config{Size: 1})
		if _, err := p.Inspect(context.Background(), in, pdf.DefaultLimits()); err != nil { // start the child first
			b.Fatal(err)
		}
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			if _, err := p.Inspect(context.Background(), in, pdf.DefaultLimits()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cold-child", func(b *testing.B) {
		for b.Loop() {
			p, err := worker.New(worker.Config{Size: 1})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := p.Inspect(context.Background(), in, pdf.DefaultLimits()); err != nil {
				b.Fatal(err)
			}
			p.Close()
		}
	})
}

// BenchmarkFinalizeAndSeal compares completion of a 10-page PDF (one typed signer, stamp, audit page, seal)
// in this process with the same work in a warm child.
func BenchmarkFinalizeAndSeal(b *testing.B) {
	in := fixture(b, "in-10.pdf")
	dir := b.TempDir()
	const cn = "Signet document seal (bench)"
	sealer, err := pdf.LoadOrCreateSealer(dir, cn)
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	signers := []pdf.Signer{{Name: "Jane Doe", Email: "jane@example.com", TypedName: "Jane Doe", SignedAt: at}}
	audit := pdf.Audit{DocumentID: "doc_1", Title: "Agreement", CompletedAt: at, Events: []pdf.AuditEvent{{At: at, Actor: "Jane", Event: "signed"}}}
	b.Run("in-process", func(b *testing.B) {
		for b.Loop() {
			out, err := pdf.Finalize(context.Background(), in, signers, audit)
			if err == nil {
				_, err = sealer.Seal(context.Background(), out)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pool", func(b *testing.B) {
		p := newPool(b, worker.Config{Size: 1, Seal: worker.SealIdentity{Dir: dir, CommonName: cn}})
		if _, err := p.FinalizeAndSeal(context.Background(), in, signers, audit); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := p.FinalizeAndSeal(context.Background(), in, signers, audit); err != nil {
				b.Fatal(err)
			}
		}
	})
}
