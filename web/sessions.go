package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/alexedwards/scs/gormstore"
	"github.com/alexedwards/scs/redisstore"
	"github.com/alexedwards/scs/v2"
	"github.com/gomodule/redigo/redis"
	"gorm.io/gorm"
)

// newSessions configures scs per DESIGN §4: HttpOnly, SameSite=Lax, Secure under https, not persistent.
func newSessions(db *gorm.DB, redisURL string, secure bool, idle, lifetime time.Duration) (*scs.SessionManager, func(), error) {
	sm := scs.New()
	sm.IdleTimeout, sm.Lifetime = idle, lifetime
	sm.Cookie.HttpOnly, sm.Cookie.SameSite, sm.Cookie.Persist, sm.Cookie.Path = true, http.SameSiteLaxMode, false, "/"
	sm.Cookie.Name, sm.Cookie.Secure = "signet", secure
	if secure {
		sm.Cookie.Name = "__Host-signet" // a __Host- cookie cannot be set by a subdomain
	}
	if redisURL != "" {
		pool := &redis.Pool{MaxIdle: 10, IdleTimeout: 4 * time.Minute, Dial: func() (redis.Conn, error) { return redis.DialURL(redisURL) }}
		conn := pool.Get()
		_, err := conn.Do("PING")
		conn.Close()
		if err != nil {
			pool.Close()
			return nil, nil, fmt.Errorf("web: unable to reach redis: %w", err)
		}
		sm.Store = redisstore.NewWithPrefix(pool, "signet:session:")
		return sm, func() { pool.Close() }, nil
	}
	store, err := gormstore.New(db)
	if err != nil {
		return nil, nil, fmt.Errorf("web: unable to create session store: %w", err)
	}
	sm.Store = store
	return sm, func() { store.StopCleanup() }, nil
}
