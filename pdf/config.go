package pdf

import (
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

var disableConfigDir sync.Once

// newConf returns a relaxed pdfcpu configuration; the config dir is disabled first because pdfcpu panics when $HOME is unwritable.
func newConf() *model.Configuration {
	disableConfigDir.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.Cmd = model.VALIDATE
	conf.Optimize = false
	return conf
}

// intakeConf tightens pdfcpu's resource limits to what an upload of maxBytes can legitimately need.
func intakeConf(maxBytes int64) *model.Configuration {
	conf := newConf()
	l := model.DefaultResourceLimits()
	l.MaxStreamBytes = maxBytes
	l.MaxDecodeBytes = 256 << 20
	l.MaxImageBytes = 256 << 20
	l.MaxObjectCount = 2_000_000
	l.MaxXRefEntries = 2_000_000
	l.MaxObjectStreamCount = 200_000
	conf.Limits = l
	return conf
}
