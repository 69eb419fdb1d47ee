from conans import ConanFile, CMake


class SensorHubConan(ConanFile):
    name = "sensorhub"
    version = "2.3.0"
    settings = "os", "arch", "compiler", "build_type"
    generators = "cmake_find_package"
    requires = (
        "poco/1.12.4",
        "acme-logging/3.1.0@acme/stable",
        "protobuf/3.21.9",
    )
    build_requires = (
        "protobuf/3.21.9",
        "cmake/3.25.3",
    )
