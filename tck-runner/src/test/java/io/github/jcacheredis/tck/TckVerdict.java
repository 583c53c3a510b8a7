package io.github.jcacheredis.tck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads the surefire reports of each TCK run ({@code label dir} pairs), prints
 * {@code TCK (label): N run, P passed, F failed}, and fails the build unless every run has at
 * least {@link #MINIMUM_RUN} tests and none failed.
 */
public final class TckVerdict {

    /** All TCK 1.1.1 tests with the includes of this module (only CachingTest#dummyTest excluded). */
    static final int MINIMUM_RUN = 481;

    private TckVerdict() {
    }

    public static void main(String[] args) throws Exception {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            problems.addAll(judge(args[i], Path.of(args[i + 1])));
        }
        if (!problems.isEmpty()) {
            System.out.println("TCK verdict: FAILED\n" + String.join("\n", problems));
            System.exit(1);
        }
        System.out.println("TCK verdict: OK");
    }

    private static List<String> judge(String label, Path reports) throws Exception {
        int run = 0;
        Set<String> failed = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> list = Files.exists(reports) ? Files.list(reports) : Stream.empty()) {
            files = list.filter(p -> p.getFileName().toString().startsWith("TEST-")
                    && p.getFileName().toString().endsWith(".xml")).sorted().toList();
        }
        for (Path file : files) {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
            NodeList cases = doc.getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element testCase = (Element) cases.item(i);
                run++;
                if (testCase.getElementsByTagName("failure").getLength() > 0
                        || testCase.getElementsByTagName("error").getLength() > 0) {
                    failed.add(testCase.getAttribute("classname") + "#" + testCase.getAttribute("name"));
                }
            }
        }
        System.out.println("TCK (" + label + "): " + run + " run, " + (run - failed.size()) + " passed, "
                + failed.size() + " failed");
        List<String> problems = new ArrayList<>();
        if (run < MINIMUM_RUN) {
            problems.add(label + ": only " + run + " TCK tests ran; " + MINIMUM_RUN + " are expected");
        }
        if (!failed.isEmpty()) {
            problems.add(label + ": " + failed.size() + " TCK tests failed:\n  " + String.join("\n  ", failed));
        }
        return problems;
    }
}
