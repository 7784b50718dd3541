package org.elasticsearch.node;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

import java.util.Collection;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * An Elasticsearch node whose plugins come from the class path instead of the modules/ and plugins/ folders of a
 * distribution. Placed in the server's package to reach NodeConstruction and NodeServiceProvider (package-private).
 */
public class ClasspathPluginNode extends Node {
    public ClasspathPluginNode(Environment environment, Collection<Class<? extends Plugin>> pluginClasses) {
        super(NodeConstruction.prepareConstruction(environment, emptyLoader(), new ClasspathServices(pluginClasses), true));
    }

    private static PluginsLoader emptyLoader() {
        return PluginsLoader.createPluginsLoader(Set.of(), Set.of(), Map.of(), false);
    }

    private static final class ClasspathServices extends NodeServiceProvider {
        private final List<Class<? extends Plugin>> pluginClasses;

        ClasspathServices(Collection<Class<? extends Plugin>> pluginClasses) {
            this.pluginClasses = List.copyOf(pluginClasses);
        }

        @Override
        PluginsService newPluginService(Environment environment, PluginsLoader loader) {
            Settings settings = environment.settings();
            return new ClasspathPluginsService(settings, loader, pluginClasses);
        }
    }
}
