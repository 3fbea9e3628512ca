package sender

import "strconv"

func itoa(n int) string { return strconv.Itoa(n) }

func pages(n int) string {
	if n == 1 {
		return "1 page"
	}
	return strconv.Itoa(n) + " pages"
}
