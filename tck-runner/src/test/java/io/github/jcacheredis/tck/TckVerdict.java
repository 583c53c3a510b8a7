package io.github.jcacheredis.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads the surefire reports of the TCK run, prints {@code TCK: N run, P passed, F known failures}
 * and fails when a test failed that is not listed as known, when a listed test now passes (so the
 * list only ever shrinks), or when fewer tests ran than expected.
 */
public final class TckVerdict {

    private TckVerdict() {
    }

    public static void main(String[] args) throws Exception {
        Path reports = Path.of(args[0]);
        Path knownFile = Path.of(args[1]);
        int minimumRun = Integer.parseInt(args[2]);
        Set<String> known = readKnown(knownFile);

        int run = 0;
        int skipped = 0;
        Set<String> failed = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(reports)) {
            files = list.filter(p -> p.getFileName().toString().startsWith("TEST-")
                    && p.getFileName().toString().endsWith(".xml")).sorted().toList();
        }
        for (Path file : files) {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
            NodeList cases = doc.getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element testCase = (Element) cases.item(i);
                run++;
                String id = testCase.getAttribute("classname") + "#" + testCase.getAttribute("name");
                if (testCase.getElementsByTagName("skipped").getLength() > 0) {
                    skipped++;
                } else if (testCase.getElementsByTagName("failure").getLength() > 0
                        || testCase.getElementsByTagName("error").getLength() > 0) {
                    failed.add(id);
                }
            }
        }
        Set<String> unexpected = new TreeSet<>(failed);
        unexpected.removeAll(known);
        Set<String> fixed = new TreeSet<>(known);
        fixed.removeAll(failed);
        int knownFailures = failed.size() - unexpected.size();

        System.out.println("TCK: " + run + " run, " + (run - failed.size()) + " passed, " + knownFailures
                + " known failures (" + skipped + " skipped by the TCK itself)");
        List<String> problems = new ArrayList<>();
        if (run < minimumRun) {
            problems.add("only " + run + " TCK tests ran; at least " + minimumRun + " are expected");
        }
        if (!unexpected.isEmpty()) {
            problems.add(unexpected.size() + " TCK tests failed that are not known failures:\n  "
                    + String.join("\n  ", unexpected));
        }
        if (!fixed.isEmpty()) {
            problems.add(fixed.size() + " known failures now pass; remove them from " + knownFile + ":\n  "
                    + String.join("\n  ", fixed));
        }
        if (!problems.isEmpty()) {
            System.out.println("TCK verdict: FAILED\n" + String.join("\n", problems));
            System.exit(1);
        }
        System.out.println("TCK verdict: OK");
    }

    private static Set<String> readKnown(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Set.of();
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
