vcl 4.1;
# The HTTP cache in front of the web server (docker-compose.yml's varnish service; the tests and
# `make bench` start varnishd with this file, the backend given by -p or the default below).
# Only what the application marks as public (an xkey header) is cached; a request with a token
# or a session goes straight through; `PURGE` with an `xkey` header from the purgers' addresses
# drops every object tagged with one of the keys (newsroom.purgers.VarnishPurger).
# xkey: Debian's varnish-modules, https://github.com/varnish/varnish-modules/blob/master/src/vmod_xkey.vcc

import std;
import xkey;

backend default {
    .host = "web";
    .port = "8000";
}

acl purgers {
    "127.0.0.1";
    "::1";
    "localhost";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey) {
            return (synth(400, "Send the surrogate keys to purge in an xkey header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey);
        return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Signed-in readers (a token, a session) get their own, uncached answers.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Other cookies (analytics, CSRF) change nothing in a public answer.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Nothing the application did not mark public (with its surrogate keys) is kept.
    if (!beresp.http.xkey || beresp.http.Cache-Control ~ "(private|no-store)" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    # s-maxage gives the TTL; stale-while-revalidate the grace (Varnish reads both).
    return (deliver);
}

sub vcl_deliver {
    # Tells the tests and the bench whether the answer came from the cache.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
