package pdf

import "errors"

// ErrBusy means the server could not check the file now (every PDF worker is occupied or failed to start);
// the same upload may succeed a minute later.
var ErrBusy = errors.New("the server is busy checking other documents; try again in a minute")
