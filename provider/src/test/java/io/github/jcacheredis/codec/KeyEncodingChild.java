package io.github.jcacheredis.codec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link KeyCodecsTwoJvmUnitTests}: prints how this JVM iterates the test's
 * {@code Set.of} and {@code Map.of} keys and how it encodes them.
 */
public final class KeyEncodingChild {

    private KeyEncodingChild() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("ready");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        KeyCodec keys = KeyCodecsTwoJvmUnitTests.codec();
        System.out.println("set-order=" + new ArrayList<>(KeyCodecsTwoJvmUnitTests.SET));
        System.out.println("map-order=" + new ArrayList<>(KeyCodecsTwoJvmUnitTests.MAP.keySet()));
        for (Object key : List.of(KeyCodecsTwoJvmUnitTests.SET, KeyCodecsTwoJvmUnitTests.MAP)) {
            System.out.println("encoded=" + keys.encode(key));
        }
        System.out.println("done");
    }
}
