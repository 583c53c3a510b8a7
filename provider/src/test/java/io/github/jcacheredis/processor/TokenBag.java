package io.github.jcacheredis.processor;

import java.util.ArrayList;
import java.util.List;

/** A cached value that collects tokens; used to prove no concurrent write is lost. */
public record TokenBag(List<String> tokens) {

    public TokenBag with(String token) {
        List<String> more = new ArrayList<>(tokens);
        more.add(token);
        return new TokenBag(more);
    }
}
